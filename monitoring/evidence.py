"""Checks on evidence files before anything is stored, and their safe download.

The type comes from the file's content (libmagic), never from its name or the
browser's claim: HTML renamed `.pdf` is HTML. Only document and image types
that browsers do not run are accepted; SVG is refused because it can carry
scripts. The stored name is random (models.evidence_upload_path); the
uploader's name is kept only to offer a clean download name.
"""

import re
import unicodedata
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

# Detected type -> the extension the stored and downloaded file gets.
ACCEPTED_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.ms-powerpoint": ".ppt",
}
ACCEPTED_DESCRIPTION = _(
    "PDF, images (PNG, JPEG, GIF, WebP) and office documents (Word, Excel, "
    "PowerPoint, OpenDocument)"
)
# Enough of the file for libmagic to recognise every accepted type.
SNIFF_BYTES = 8192
# A drive ("C:evil"), a folder, a parent reference or a control character.
PATH_IN_NAME = re.compile(r"[/\\:]|\.\.|[\x00-\x1f\x7f]")


def detect_content_type(uploaded) -> str:
    import magic  # libmagic is a system library: imported where it is needed

    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    return magic.from_buffer(head, mime=True)


def evidence_file_check(uploaded) -> str:
    """Refuse an unsafe upload with a message the uploader understands.

    Returns the detected content type of an accepted file.
    """
    name = uploaded.name or ""
    if PATH_IN_NAME.search(name):
        raise ValidationError(
            _("The file name must be a plain name, without a folder, drive or “..”: %(name)s"),
            code="path_in_name",
            params={"name": name},
        )
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest file accepted is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
        )
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    content_type = detect_content_type(uploaded)
    if content_type == "image/svg+xml":
        raise ValidationError(
            _("SVG images are not accepted because they can contain scripts. Send a PNG or PDF."),
            code="svg",
        )
    if content_type not in ACCEPTED_TYPES:
        raise ValidationError(
            _("This file's content is not an accepted type (%(accepted)s)."),
            code="type",
            params={"accepted": ACCEPTED_DESCRIPTION},
        )
    return content_type


def download_name(evidence) -> str:
    """A name safe in a Content-Disposition header, with the true extension."""
    stem = PurePath(evidence.original_name or "").stem
    stem = unicodedata.normalize("NFKC", stem)
    stem = get_valid_filename(stem.replace(" ", "_")) if stem.strip(" ._") else ""
    extension = ACCEPTED_TYPES.get(evidence.content_type, "")
    return f"{stem[:100] or 'evidence'}{extension}"


def evidence_download_response(evidence) -> FileResponse:
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=download_name(evidence),
        content_type=evidence.content_type or "application/octet-stream",
    )
    # Only accepted types reach here, and nosniff (on every response) keeps
    # browsers from reading them as anything else.
    return response
