"""Staff attach a meeting's documents in the admin: a file, checked by its
content as monitoring evidence is, or a link."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations.models import MeetingDocument
from tests.admin_forms import add_inline_forms, form_data
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root):
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def post_document(client, meeting, **row):
    url = reverse("admin:consultations_meeting_change", args=[meeting.pk])
    data = form_data(client.get(url))
    add_inline_forms(data, "documents", [{"title_en": "Minutes", "order": "0", **row}])
    return client.post(url, data)


def test_editor_uploads_a_pdf_stored_under_a_random_name(editor_client, media_root):
    meeting = MeetingFactory()

    response = post_document(
        editor_client, meeting, file=SimpleUploadedFile("Minutes of 5 Oct.pdf", PDF), url=""
    )

    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    assert document.file.name.startswith("meeting-documents/")
    assert document.file.name.endswith(".pdf")
    assert "Minutes" not in document.file.name
    assert document.file_type == "PDF"
    assert [path.read_bytes() for path in stored_files(media_root)] == [PDF]


def test_editor_adds_a_link_instead_of_a_file(editor_client, media_root):
    meeting = MeetingFactory()

    response = post_document(editor_client, meeting, url="https://example.org/slides")

    assert response.status_code == 302
    assert MeetingDocument.objects.get().href == "https://example.org/slides"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("big.pdf", PDF + b"0" * 2048), "the largest file accepted is"),
        (SimpleUploadedFile("chart.svg", SVG_WITH_SCRIPT), "SVG images are not accepted"),
        (SimpleUploadedFile("minutes.pdf", HTML), "not an accepted type"),
    ],
    ids=["over the cap", "svg with a script", "html renamed pdf"],
)
def test_unsafe_document_is_refused_and_nothing_stored(
    editor_client, media_root, settings, upload, message
):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024
    meeting = MeetingFactory()

    response = post_document(editor_client, meeting, file=upload, url="")

    assert response.status_code == 200  # the admin form again, with the error
    assert message in response.content.decode().replace("&quot;", '"')
    assert not MeetingDocument.objects.exists()
    assert stored_files(media_root) == []


def test_document_with_both_a_file_and_a_link_is_refused(editor_client, media_root):
    meeting = MeetingFactory()

    response = post_document(
        editor_client,
        meeting,
        file=SimpleUploadedFile("minutes.pdf", PDF),
        url="https://example.org/minutes",
    )

    assert response.status_code == 200
    assert "Give either a file or a link, not both." in response.content.decode()
    assert not MeetingDocument.objects.exists()
