"""Pages that other websites may show in a frame: the embeddable progress of
a plan or a commitment. Every other page refuses to be framed, by its
X-Frame-Options header (DENY) and its CSP (frame-ancestors 'none')."""

from csp.decorators import csp_replace
from django.conf import settings
from django.views.decorators.clickjacking import xframe_options_exempt


def embeddable(view):
    """Let the sites in EMBED_FRAME_ANCESTORS (default: any site) frame this view."""
    frame_ancestors = csp_replace({"frame-ancestors": settings.EMBED_FRAME_ANCESTORS})
    return xframe_options_exempt(frame_ancestors(view))


def iframe_code(request, *, path: str, title: str, height: int) -> str:
    """The HTML another site pastes to frame an embeddable page, as text to show
    (escape it once more to put it in a page). Attribute values escape only what
    they must, so the code stays readable: "Plan d'action", not "Plan d&#x27;action"."""

    def attribute(value) -> str:
        return str(value).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

    return (
        f'<iframe src="{attribute(request.build_absolute_uri(path))}" '
        f'title="{attribute(title)}" width="100%" height="{int(height)}" loading="lazy"></iframe>'
    )
