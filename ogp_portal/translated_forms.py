"""Translated content is required in one language, not in English.

modeltranslation makes the default language's column required whenever the
field is. Cities write in their own language first (the seeds are French), so
staff must be able to save a record that has its title in French only. Here a
required translated field needs a value in at least one language.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as mt_settings
from modeltranslation.translator import NotRegistered, translator


def required_translated_fields(model) -> list[str]:
    """Names of the model's translated fields that must have some text."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    return [name for name in options.all_fields if not model._meta.get_field(name).blank]


class AnyLanguageRequiredForm(forms.ModelForm):
    missing_message = _("Give this in at least one language.")

    def clean(self):
        cleaned = super().clean()
        languages = [code for code, _name in settings.LANGUAGES]
        for name in required_translated_fields(self._meta.model):
            columns = [f"{name}_{code}" for code in languages if f"{name}_{code}" in self.fields]
            if columns and not any(cleaned.get(column) for column in columns):
                error_field = f"{name}_{mt_settings.DEFAULT_LANGUAGE}"
                self.add_error(
                    error_field if error_field in self.fields else columns[0],
                    forms.ValidationError(self.missing_message, code="required"),
                )
        return cleaned


class AnyLanguageRequiredMixin:
    """For translation admins and inlines: un-require the default language's
    column; AnyLanguageRequiredForm checks that some language has text."""

    form = AnyLanguageRequiredForm

    def patch_translation_field(self, db_field, field, request, **kwargs):
        super().patch_translation_field(db_field, field, request, **kwargs)
        if (
            field is not None
            and getattr(db_field, "language", None) == mt_settings.DEFAULT_LANGUAGE
        ):
            field.required = False
