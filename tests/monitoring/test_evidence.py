import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring import services
from monitoring.models import Evidence, Report
from tests.monitoring.conftest import PDF, pdf_upload

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def stored_files(media_root):
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


@pytest.fixture
def draft(report_in):
    return report_in(Report.Status.DRAFT, with_evidence=False)


def post_evidence(client, report, upload, title="Evidence"):
    assessment = report.assessments.get()
    return client.post(
        reverse("monitoring:assessment_edit", args=[report.pk, assessment.commitment_id]),
        {"narrative": "Typed before the upload", "evidence-title": title, "evidence-file": upload},
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("big.pdf", PDF + b"0" * 2048), "the largest file accepted is"),
        (SimpleUploadedFile("chart.svg", SVG_WITH_SCRIPT), "SVG images are not accepted"),
        (SimpleUploadedFile("report.pdf", HTML), "not an accepted type"),
        (SimpleUploadedFile("C:evil.pdf", PDF), "must be a plain name"),
    ],
    ids=["over the cap", "svg with a script", "html renamed pdf", "drive path in the name"],
)
def test_unsafe_upload_is_refused_with_a_message_and_nothing_stored(
    monitor_client, draft, media_root, settings, upload, message
):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024

    response = post_evidence(monitor_client, draft, upload)

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page.replace("&quot;", '"')
    assert "Typed before the upload" in page
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []
    assert draft.assessments.get().narrative == ""


# Names an UploadedFile keeps as they are (it drops POSIX folders itself).
@pytest.mark.parametrize("name", ["..\\..\\passwd.pdf", "C:q1.pdf", "a\\b.pdf", "x\x00.pdf"])
def test_service_refuses_a_path_in_the_file_name(draft, monitor, media_root, name):
    with pytest.raises(ValidationError, match="plain name"):
        services.evidence_add(
            report=draft,
            assessment=None,
            title="Minutes",
            uploaded=SimpleUploadedFile(name, PDF),
            by=monitor,
        )

    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_browser_sent_folders_never_reach_storage(monitor_client, draft, media_root):
    # Django keeps only the last part of a posted name; the stored name is random.
    response = post_evidence(monitor_client, draft, pdf_upload(name="../../etc/minutes.pdf"))

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "minutes.pdf"
    (stored,) = stored_files(media_root)
    assert stored.parent == media_root / "evidence"
    assert stored.name != "minutes.pdf" and stored.suffix == ".pdf"


def test_evidence_downloads_as_an_attachment_with_a_safe_name(monitor_client, draft, monitor):
    evidence = services.evidence_add(
        report=draft,
        assessment=None,
        title="Minutes",
        uploaded=pdf_upload(name='Minutes "Q1" <budget>.pdf'),
        by=monitor,
    )

    response = monitor_client.get(reverse("monitoring:evidence_download", args=[evidence.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Minutes_Q1_budget.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_office_documents_and_images_are_accepted(draft, monitor, media_root):
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
        b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
        b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
    )

    evidence = services.evidence_add(
        report=draft,
        assessment=None,
        title="Photo",
        uploaded=SimpleUploadedFile("photo.jpeg", png),
        by=monitor,
    )

    # Typed from the content: a PNG named .jpeg is stored and served as PNG.
    assert evidence.content_type == "image/png"
    assert evidence.file.name.endswith(".png")
