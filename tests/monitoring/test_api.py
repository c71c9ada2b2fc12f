import pytest

from monitoring.models import Report

pytestmark = pytest.mark.django_db


def test_api_lists_published_reports_with_assessments_and_no_accounts(client, report_in, monitor):
    monitor.email = "monitor@ngo.example"
    monitor.save()
    published = report_in(Report.Status.PUBLISHED)

    listing = client.get("/api/v1/reports/", {"plan": published.period.plan.slug}).json()
    detail = client.get(f"/api/v1/reports/{published.pk}/")

    assert [report["id"] for report in listing["results"]] == [published.pk]
    (assessment,) = listing["results"][0]["assessments"]
    assert assessment["evidence"][0]["kind"] == "file"
    assert assessment["evidence"][0]["link"].endswith(
        f"/en/monitoring/evidence/{published.evidence.get().pk}/"
    )
    assert len(assessment["milestones"]) == 2
    assert detail.status_code == 200
    assert "monitor@ngo.example" not in detail.content.decode()
    assert "monitor" not in set(detail.json())


def test_api_hides_reports_until_published(client, report_in):
    submitted = report_in(Report.Status.SUBMITTED)

    assert client.get("/api/v1/reports/").json()["results"] == []
    assert client.get(f"/api/v1/reports/{submitted.pk}/").status_code == 404
