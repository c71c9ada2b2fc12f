"""Staff-written text on public pages: which language it is in, and Markdown.

Content exists in the languages staff wrote it in. When a visitor's language
is missing, the page shows a fallback language and marks that passage with
its own `lang` and direction, so screen readers pronounce it right (WCAG 3.1.2).
"""

from dataclasses import dataclass

import nh3
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language, get_language_bidi, get_language_info
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "br", "hr",
}  # fmt: skip


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML (raw HTML in the text is never passed through)."""
    html = _markdown.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def current_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@dataclass(frozen=True)
class LocalisedText:
    text: str
    language: str

    @property
    def is_foreign(self) -> bool:
        """True when the text is not in the page's language."""
        return self.language != current_language()

    @property
    def direction(self) -> str:
        return "rtl" if get_language_info(self.language)["bidi"] else "ltr"

    def __str__(self):
        return self.text


def localised(obj, field: str) -> LocalisedText:
    """The field in the visitor's language, else the first fallback that has it."""
    here = current_language()
    for code in [here, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES]:
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            return LocalisedText(value, code)
    return LocalisedText("", here)


def page_direction() -> str:
    return "rtl" if get_language_bidi() else "ltr"


def _interpolate(message, values) -> str:
    return str(message) % values


# `gettext_lazy("At most %(count)d") % {...}` would translate once, at import,
# in the default language: this waits until the text is shown.
interpolate_lazy = lazy(_interpolate, str)
