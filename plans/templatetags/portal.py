"""Template helpers shared by every public page."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ogp_portal.text import localised, render_markdown

register = template.Library()


def _language_attributes(value):
    if not value.is_foreign:
        return ""
    return format_html(' lang="{}" dir="{}"', value.language, value.direction)


@register.simple_tag
def tr(obj, field):
    """A translated field inline, marked with its language when it is a fallback."""
    value = localised(obj, field)
    if not value.is_foreign:
        return value.text
    return format_html("<span{}>{}</span>", _language_attributes(value), value.text)


@register.filter
def in_language(value):
    """A LocalisedText inline, marked with its language when it is a fallback."""
    if not value.is_foreign:
        return value.text
    return format_html("<span{}>{}</span>", _language_attributes(value), value.text)


@register.simple_tag
def tr_markdown(obj, field):
    """A translated text field rendered from Markdown, in a block marked with its language."""
    return as_markdown(localised(obj, field))


@register.filter
def as_markdown(value):
    """A LocalisedText rendered from Markdown, in a block marked with its language."""
    if not value.text:
        return ""
    # render_markdown escapes raw HTML and sanitises the result with nh3.
    html = mark_safe(render_markdown(value.text))  # noqa: S308  # nosec B308 B703 # nh3-sanitised
    return format_html('<div class="prose"{}>{}</div>', _language_attributes(value), html)


@register.simple_tag
def has_text(obj, field):
    return bool(localised(obj, field).text)


@register.simple_tag(takes_context=True)
def language_url(context, code):
    """This page in another language, query string kept."""
    request = context["request"]
    return translate_url(request.get_full_path(), code)


@register.filter
def percent(value):
    """0.425 -> '43%'; None -> an em dash with a screen-reader text."""
    if value is None:
        return _("not measured")
    return f"{round(value * 100)}%"


@register.filter
def percent_number(value):
    return 0 if value is None else round(value * 100)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


@register.simple_tag
def portal_languages():
    return settings.LANGUAGES
