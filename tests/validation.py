"""Read what `full_clean()` refuses, field by field, for model validation tests."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError


def clean_errors(instance, **kwargs) -> dict[str, list[tuple[str | None, str]]]:
    """{field: [(code, message), ...]} of `instance.full_clean()`; {} when valid."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        return {
            field: [(item.code, next(iter(item))) for item in items]
            for field, items in error.error_dict.items()
        }
    return {}


def codes(errors: dict, field: str) -> list[str | None]:
    return [code for code, _message in errors.get(field, [])]


def messages(errors: dict, field: str) -> list[str]:
    return [message for _code, message in errors.get(field, [])]


def has_catalog(language: str) -> bool:
    """True once the compiled translation catalog of `language` exists."""
    return any(
        (Path(path) / language / "LC_MESSAGES" / "django.mo").exists()
        for path in settings.LOCALE_PATHS
    )
