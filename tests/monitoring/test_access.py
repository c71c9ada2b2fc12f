"""Who may do what with a report, by role and by the report's status.

Refused means: nothing changes, and the answer is a redirect to the login page
(anonymous), a 404 (the report or its evidence are not theirs to know of), or
for a step the status no longer allows, a redirect with a message.
"""

import pytest
from django.urls import reverse

from monitoring.models import Report

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "monitor", "other_monitor", "editor", "superuser"]
DRAFT, SUBMITTED, PUBLISHED = Report.Status.DRAFT, Report.Status.SUBMITTED, Report.Status.PUBLISHED
EVERYONE = set(ROLES)
CITY = {"editor", "superuser"}

# action -> status -> the roles allowed
ALLOWED = {
    "view": {DRAFT: {"monitor"}, SUBMITTED: {"monitor"} | CITY, PUBLISHED: EVERYONE},
    "download": {DRAFT: {"monitor"}, SUBMITTED: {"monitor"} | CITY, PUBLISHED: EVERYONE},
    "edit": {DRAFT: {"monitor"}, SUBMITTED: set(), PUBLISHED: set()},
    "submit": {DRAFT: {"monitor"}, SUBMITTED: set(), PUBLISHED: set()},
    "respond": {DRAFT: set(), SUBMITTED: CITY, PUBLISHED: set()},
    "publish": {DRAFT: set(), SUBMITTED: CITY, PUBLISHED: set()},
}
CASES = [
    (role, status, action, role in allowed_roles)
    for action, by_status in ALLOWED.items()
    for status, allowed_roles in by_status.items()
    for role in ROLES
]


@pytest.fixture
def client_as(request, client, client_for):
    def make(role):
        if role == "anonymous":
            return client
        return client_for(request.getfixturevalue(role))

    return make


def snapshot(report):
    report.refresh_from_db()
    return (report.status, report.overall_findings, report.city_response)


def perform(client, action, report):
    evidence = report.evidence.get()
    if action == "view":
        return client.get(reverse("monitoring:report_detail", args=[report.pk]))
    if action == "download":
        return client.get(reverse("monitoring:evidence_download", args=[evidence.pk]))
    if action == "edit":
        return client.post(
            reverse("monitoring:report_detail", args=[report.pk]),
            {"overall_findings": "Changed"},
        )
    if action == "submit":
        return client.post(reverse("monitoring:report_submit", args=[report.pk]))
    if action == "respond":
        return client.post(
            reverse("monitoring:review_report", args=[report.pk]), {"city_response": "Answer"}
        )
    return client.post(reverse("monitoring:report_publish", args=[report.pk]))


@pytest.mark.parametrize(("role", "status", "action", "allowed"), CASES)
def test_report_access(role, status, action, allowed, client_as, report_in, other_monitor, citizen):
    report = report_in(status)
    # Evidence hangs off the first assessment; move it to the report for `download`.
    evidence = report.assessments.first().evidence.get()
    evidence.assessment = None
    evidence.save()
    before = snapshot(report)

    response = perform(client_as(role), action, report)
    after = snapshot(report)

    if action in ("view", "download"):
        if allowed:
            assert response.status_code in (200, 302), response
            if response.status_code == 302:  # outsiders see the public page
                assert response.url == reverse("monitoring:public_report", args=[report.pk])
        else:
            assert response.status_code in (302, 404)
            if response.status_code == 302:
                assert "/accounts/login/" in response.url
        assert after == before
    elif allowed:
        assert after != before
    else:
        assert after == before
        assert response.status_code in (302, 404)


def test_other_plans_evidence_answers_404_to_its_monitor(report_in, client_for, other_monitor):
    report = report_in(Report.Status.DRAFT)
    evidence = report.evidence.get()

    response = client_for(other_monitor).get(
        reverse("monitoring:evidence_download", args=[evidence.pk])
    )

    assert response.status_code == 404


def test_drafts_are_missing_from_the_public_plan_page(client, report_in):
    report = report_in(Report.Status.SUBMITTED)

    page = client.get(reverse("monitoring:public_plan_reports", args=[report.period.plan.slug]))

    assert reverse("monitoring:public_report", args=[report.pk]) not in page.content.decode()
    assert client.get(reverse("monitoring:public_report", args=[report.pk])).status_code == 404
