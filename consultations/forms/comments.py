from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.antispam import HoneypotMixin
from consultations.models import COMMENT_MAX_LENGTH, CommentFlag
from ogp_portal.accounts import DescribedFieldsMixin
from ogp_portal.text import interpolate_lazy


class CommentForm(DescribedFieldsMixin, HoneypotMixin, forms.Form):
    """The text of a comment. What it is about travels in the hidden subject
    fields, checked by the selectors, never trusted from here."""

    plan = forms.IntegerField(required=False, widget=forms.HiddenInput)
    commitment = forms.IntegerField(required=False, widget=forms.HiddenInput)
    consultation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    section = forms.IntegerField(required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=interpolate_lazy(
            _("At most %(max)s characters. Shown with your public name, never your email address."),
            {"max": COMMENT_MAX_LENGTH},
        ),
        error_messages={
            "required": _("Write your comment."),
            "max_length": _(
                "A comment may have at most %(limit_value)d characters (this one has "
                "%(show_value)d). Please shorten it."
            ),
        },
    )

    def __init__(self, *args, anonymous=False, **kwargs):
        super().__init__(*args, **kwargs)
        # The server says when a comment is too long; a browser's maxlength
        # would silently cut pasted text instead.
        self.fields["body"].widget.attrs.pop("maxlength", None)
        if anonymous:
            self.fields["body"].help_text = _(
                "At most %(max)s characters. Written without an account, it is published "
                "once a moderator has read it."
            ) % {"max": COMMENT_MAX_LENGTH}

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write your comment."))
        return body


class CommentFlagForm(DescribedFieldsMixin, HoneypotMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=CommentFlag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong with this comment.")},
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 1000 characters. Moderators read every report."),
    )
