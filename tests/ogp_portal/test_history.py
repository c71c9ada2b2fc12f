"""Every translated model keeps its per-language columns in its history.

simple-history snapshots a model's fields when it is registered; registered
before modeltranslation adds the language columns, the history would silently
lose every translation (see the translation.py of each app).
"""

import pytest
from django.conf import settings
from modeltranslation.translator import translator

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED = sorted(translator.get_registered_models(), key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", TRANSLATED, ids=lambda model: model._meta.label_lower)
def test_history_of_a_translated_model_keeps_a_column_per_language(model):
    assert hasattr(model, "history"), f"{model._meta.label} has no history"
    history_columns = {field.name for field in model.history.model._meta.get_fields()}
    translated = translator.get_options_for_model(model).fields

    missing = {
        f"{name}_{code}"
        for name in translated
        for code in LANGUAGES
        if f"{name}_{code}" not in history_columns
    }

    assert missing == set()
