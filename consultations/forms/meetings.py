"""Forms of the co-creation record: a meeting's documents in the admin."""

import uuid

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from consultations.models import MeetingDocument
from monitoring.evidence import ACCEPTED_DESCRIPTION, ACCEPTED_TYPES, evidence_file_check
from ogp_portal.translated_forms import AnyLanguageRequiredForm


class MeetingDocumentForm(AnyLanguageRequiredForm):
    """A document of a meeting: an uploaded file, checked as monitoring
    evidence is (size cap, type from the content, no SVG) and stored under a
    random name with its true extension; or a link."""

    class Meta:
        model = MeetingDocument
        fields = ["meeting", "title", "file", "url", "order"]
        help_texts = {
            "file": format_lazy(_("{types}; or give a link instead."), types=ACCEPTED_DESCRIPTION),
        }

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        # Only a new upload has a content type to check; an unchanged file
        # (FieldFile) or a cleared one (False) passes as it is.
        if uploaded and hasattr(uploaded, "content_type"):
            content_type = evidence_file_check(uploaded)
            uploaded.name = f"{uuid.uuid4().hex}{ACCEPTED_TYPES[content_type]}"
        return uploaded
