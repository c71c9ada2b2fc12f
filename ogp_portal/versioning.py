"""Optimistic locking for records that several staff edit at once.

Each versioned row carries a counter. An edit form remembers the counter it
was opened with; saving checks it against the row, under a row lock, inside
the same transaction that writes. If someone saved in between, the form is
refused with a clear message instead of silently overwriting their text.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Increases with every save; used to detect concurrent edits."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The check against concurrent edits happens in VersionCheckedForm,
        # under a row lock; here the counter only moves on.
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)


class VersionCheckedForm(forms.ModelForm):
    """A model form that refuses to save over a newer version of the row."""

    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    stale_message = _(
        "Someone else saved this record while you were editing it. Your changes "
        "were not saved. Open the record again to see their version, then "
        "re-apply your changes."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edited_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        edited = cleaned.get("edited_version")
        # The lock holds until the surrounding transaction (the admin's
        # change view runs in one) commits the save.
        current = (
            type(self.instance)
            ._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if edited is None or current != edited:
            raise forms.ValidationError(self.stale_message, code="stale")
        return cleaned
