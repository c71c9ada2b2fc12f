import datetime

import pytest
from django.core import mail
from django.urls import reverse

from monitoring import services
from monitoring.models import Report, ReportTransition
from ogp_portal.page_cache import content_generation
from tests.commitments.test_exports import csv_rows, download
from tests.factories import EDITORS, UserFactory

pytestmark = pytest.mark.django_db


def test_periods_generated_are_the_plans_quarters_due_a_month_after(body):
    periods = services.reporting_periods_generate(plan=body.plan)

    assert [(p.start, p.end) for p in periods] == [
        (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)),
        (datetime.date(2024, 4, 1), datetime.date(2024, 6, 30)),
        (datetime.date(2024, 7, 1), datetime.date(2024, 9, 30)),
        (datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)),
    ]
    assert periods[0].due_date == datetime.date(2024, 4, 30)
    assert services.reporting_periods_generate(plan=body.plan) == []


def test_report_start_covers_every_published_commitment_and_milestone(period, monitor):
    report = services.report_start(period=period, kind=Report.Kind.PROGRESS, by=monitor)

    (assessment,) = report.assessments.all()
    assert assessment.milestone_observations.count() == 2
    again = services.report_start(period=period, kind=Report.Kind.PROGRESS, by=monitor)
    assert again.pk == report.pk


def test_double_clicked_submit_creates_one_submission(monitor_client, report_in):
    report = report_in(Report.Status.DRAFT)
    url = reverse("monitoring:report_submit", args=[report.pk])

    first = monitor_client.post(url)
    second = monitor_client.post(url)

    assert first.status_code == second.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert ReportTransition.objects.filter(report=report).count() == 1


def test_submit_tells_the_city_and_publication_tells_the_monitors(
    monitor, editor, report_in, django_capture_on_commit_callbacks
):
    editor.email = "editor@city.example"
    editor.save()
    monitor.email = "monitor@ngo.example"
    monitor.save()
    report = report_in(Report.Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(report=report, by=monitor)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(report=report, by=editor)

    assert [message.to for message in mail.outbox] == [
        ["editor@city.example"],
        ["monitor@ngo.example"],
    ]
    assert "/monitoring/review/" in mail.outbox[0].body


def test_each_transition_records_who_and_when(monitor, editor, report_in):
    report = report_in(Report.Status.PUBLISHED)

    steps = list(report.transitions.values_list("from_status", "to_status", "by"))
    assert steps == [
        ("draft", "submitted", monitor.pk),
        ("submitted", "published", editor.pk),
    ]
    assert report.submitted_at and report.published_at


def test_monitor_edit_keeps_typed_text_on_a_validation_error(monitor_client, report_in):
    report = report_in(Report.Status.DRAFT, with_evidence=False)
    assessment = report.assessments.get()
    url = reverse("monitoring:assessment_edit", args=[report.pk, assessment.commitment_id])

    response = monitor_client.post(
        url,
        {
            "completion": "substantial",
            "narrative": "We visited the budget office twice.",
            "evidence-title": "",
            "evidence-url": "not a link",
        },
    )

    assert response.status_code == 400
    assert "We visited the budget office twice." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.narrative == ""


def test_monitor_saves_an_assessment_with_observed_milestones(monitor_client, report_in):
    report = report_in(Report.Status.DRAFT, with_evidence=False)
    assessment = report.assessments.get()
    first, second = assessment.milestone_observations.order_by("milestone__order", "pk")
    url = reverse("monitoring:assessment_edit", args=[report.pk, assessment.commitment_id])

    response = monitor_client.post(
        url,
        {
            "completion": "limited",
            "narrative": "Half done.",
            f"milestone_{first.milestone_id}": "completed",
            f"milestone_{second.milestone_id}": "delayed",
            "evidence-title": "Minutes",
            "evidence-url": "https://city.example/minutes",
        },
    )

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.completion, assessment.narrative) == ("limited", "Half done.")
    assert [o.observed_status for o in assessment.milestone_observations.order_by("pk")] == [
        "completed",
        "delayed",
    ]
    assert assessment.evidence.get().url == "https://city.example/minutes"


def test_staff_response_never_changes_the_monitors_text(editor_client, monitor, report_in):
    report = report_in(Report.Status.DRAFT, with_evidence=False)
    assessment = report.assessments.get()
    assessment.narrative = "The portal is late."
    assessment.save()
    report = services.report_submit(report=report, by=monitor)

    response = editor_client.post(
        reverse("monitoring:review_report", args=[report.pk]),
        {
            "city_response": "We agree and will hire.",
            f"response_{assessment.pk}": "Launch moved to June.",
            "overall_findings": "Rewritten by staff",
            "narrative": "Rewritten by staff",
        },
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assessment.refresh_from_db()
    assert report.status == Report.Status.RESPONDED
    assert report.city_response == "We agree and will hire."
    assert assessment.city_response == "Launch moved to June."
    assert assessment.narrative == "The portal is late."
    assert report.overall_findings == ""


def test_published_report_shows_monitor_rating_beside_city_progress(client, report_in):
    report = report_in(Report.Status.DRAFT, with_evidence=False)
    assessment = report.assessments.get()
    assessment.completion = "complete"
    assessment.save()
    editor = UserFactory(username="publisher", is_staff=True, groups=[EDITORS])
    report = services.report_submit(report=report, by=report.created_by)
    services.report_publish(report=report, by=editor)

    page = client.get(reverse("monitoring:public_report", args=[report.pk])).content.decode()
    plan_page = client.get(
        reverse("monitoring:public_plan_reports", args=[report.period.plan.slug])
    ).content.decode()

    assert "Complete" in page and "50%" in page
    assert "disagree" in page
    assert "They differ" in plan_page


def test_exports_list_published_reports_only(client, report_in, period, monitor):
    published = report_in(Report.Status.PUBLISHED)
    services.report_start(period=period, kind=Report.Kind.FINAL, by=monitor)
    slug = published.period.plan.slug

    csv_text = b"".join(
        client.get(reverse("monitoring:public_plan_reports_csv", args=[slug])).streaming_content
    ).decode("utf-8")
    document = client.get(reverse("monitoring:public_plan_reports_json", args=[slug])).json()

    assert csv_text.startswith("\ufeffReport,Kind")
    assert len(csv_text.strip().splitlines()) == 2
    assert [report["id"] for report in document["reports"]] == [published.pk]
    assert document["reports"][0]["commitments"][0]["evidence"][0]["kind"] == "file"


def test_commitment_export_carries_the_latest_published_monitor_rating(
    client, report_in, monitor, editor, period
):
    older = report_in(Report.Status.DRAFT, with_evidence=False)
    older.assessments.update(completion="limited")
    services.report_publish(report=services.report_submit(report=older, by=monitor), by=editor)
    later_period = period.plan.reporting_periods.order_by("start")[1]
    newer = services.report_start(period=later_period, kind=Report.Kind.PROGRESS, by=monitor)
    newer.assessments.update(completion="substantial")
    services.report_submit(report=newer, by=monitor)  # submitted, not published

    (row,) = csv_rows(download(client, "/en/open-data/commitments.csv"))
    assert row["Latest Monitor Rating"] == "Limited"

    services.report_publish(report=newer, by=editor)
    (row,) = csv_rows(download(client, "/fr/open-data/commitments.csv"))
    assert row["Latest Monitor Rating"] == "Substantiel"


def test_reminders_go_once_before_the_due_date_and_once_when_overdue(
    body, monitor, editor, django_capture_on_commit_callbacks
):
    monitor.email, editor.email = "monitor@ngo.example", "editor@city.example"
    monitor.save()
    editor.save()
    first = services.reporting_periods_generate(plan=body.plan)[0]  # due 2024-04-30

    with django_capture_on_commit_callbacks(execute=True):
        early = services.reminders_send(today=datetime.date(2024, 4, 1))
        due_soon = services.reminders_send(today=datetime.date(2024, 4, 25))
        again = services.reminders_send(today=datetime.date(2024, 4, 26))
        overdue = services.reminders_send(today=datetime.date(2024, 5, 1))
        overdue_again = services.reminders_send(today=datetime.date(2024, 5, 2))

    assert early == {"reminders": 0, "overdue": 0}
    assert due_soon == {"reminders": 1, "overdue": 0}
    assert again == overdue_again == {"reminders": 0, "overdue": 0}
    assert overdue == {"reminders": 0, "overdue": 1}
    # One email per recipient: the reminder, then the overdue notice to both sides.
    assert [(message.to, message.subject.split(":")[0]) for message in mail.outbox] == [
        (["monitor@ngo.example"], "Monitoring report due on April 30, 2024"),
        (["monitor@ngo.example"], "Monitoring report overdue since April 30, 2024"),
        (["editor@city.example"], "Monitoring report overdue since April 30, 2024"),
    ]
    assert str(first.plan.title) in mail.outbox[1].subject


def test_a_submitted_report_stops_the_overdue_notice(body, monitor):
    period = services.reporting_periods_generate(plan=body.plan)[0]
    report = services.report_start(period=period, kind=Report.Kind.PROGRESS, by=monitor)
    services.report_submit(report=report, by=monitor)

    assert services.reminders_send(today=datetime.date(2024, 5, 1))["overdue"] == 0


def test_only_publication_refreshes_cached_public_pages(
    client, settings, report_in, monitor, editor, django_capture_on_commit_callbacks
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    report = report_in(Report.Status.DRAFT, with_evidence=False)
    page = reverse("monitoring:public_plan_reports", args=[report.period.plan.slug])
    public_link = reverse("monitoring:public_report", args=[report.pk])
    generation = content_generation()

    with django_capture_on_commit_callbacks(execute=True):
        services.report_save_findings(report=report, overall_findings="Draft text", by=monitor)
        report = services.report_submit(report=report, by=monitor)
    assert content_generation() == generation
    assert public_link not in client.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(report=report, by=editor)
    assert public_link in client.get(page).content.decode()
