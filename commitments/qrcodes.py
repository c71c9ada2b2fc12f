"""QR codes that open a commitment's page (GE0067 puts them on service desks,
Cartagena on public-works boards): inline on the page, and as an A4 poster."""

import textwrap

import segno
from django.utils.html import escape
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from ogp_portal.text import localised


def inline_svg(url: str) -> str:
    """An SVG that scales with its container; its text alternative names the URL."""
    qr = segno.make(url, error="m")
    return qr.svg_inline(
        scale=1,
        border=2,
        omitsize=True,
        svgclass="qr-code",
        title=_("QR code that opens %(url)s") % {"url": url},
    ).replace("<svg ", '<svg role="img" ', 1)


def poster_svg(*, commitment, url: str) -> str:
    """An A4 (210 x 297 mm) poster: identifier, title, a large QR code and the address."""
    qr = segno.make(url, error="q").svg_inline(scale=1, border=0, omitsize=True)
    qr = qr.replace("<svg ", '<svg x="35" y="105" width="140" height="140" ', 1)
    title = localised(commitment, "title")
    lines = textwrap.wrap(title.text, width=34)[:5]
    direction = "rtl" if get_language_bidi() else "ltr"
    title_lines = "".join(
        f'<tspan x="105" dy="{0 if index == 0 else 11}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    jurisdiction = localised(commitment.plan.jurisdiction, "name").text
    heading = _("Follow this commitment's progress")
    scan = _("Scan the code or open the address below")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297"
 font-family="Noto Sans, DejaVu Sans, Arial, sans-serif" text-anchor="middle"
 direction="{direction}">
<title>{escape(commitment.identifier)} — {escape(title.text)}</title>
<rect width="210" height="297" fill="#fff"/>
<rect x="0" y="0" width="210" height="14" fill="#0b4f6c"/>
<text x="105" y="9.5" font-size="6" fill="#fff">{escape(jurisdiction)}</text>
<text x="105" y="30" font-size="9" font-weight="bold" fill="#0b4f6c">{escape(heading)}</text>
<text x="105" y="44" font-size="7" fill="#333">{escape(commitment.identifier)}</text>
<text x="105" y="58" font-size="8.5" font-weight="bold" fill="#111"
 xml:lang="{title.language}">{title_lines}</text>
{qr}
<text x="105" y="260" font-size="6" fill="#333">{escape(scan)}</text>
<text x="105" y="272" font-size="5" fill="#0b4f6c">{escape(url)}</text>
</svg>
"""
