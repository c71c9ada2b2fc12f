"""Published monitoring reports and opened consultations in the site's, a
plan's and a commitment's feeds, and consultations in the plan's calendar;
never a draft report, an unpublished consultation or anyone's name."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from monitoring.models import CommitmentAssessment, Report, ReportingPeriod
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    ConsultationFactory,
    MonitoringBodyFactory,
    ReportFactory,
    UserFactory,
)
from tests.feeds import parse_feed

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def report_on(plan, *, status, kind=Report.Kind.PROGRESS, commitment=None, days_ago=2):
    start = datetime.date(2024, 1, 1) + datetime.timedelta(days=91 * days_ago)
    period, _created = ReportingPeriod.objects.get_or_create(
        plan=plan,
        start=start,
        end=start + datetime.timedelta(days=90),
        defaults={"due_date": start + datetime.timedelta(days=120)},
    )
    report = ReportFactory(
        period=period,
        body=plan.monitoring_body,
        kind=kind,
        status=status,
        published_at=NOW - datetime.timedelta(days=days_ago)
        if status == Report.Status.PUBLISHED
        else None,
    )
    if commitment is not None:
        CommitmentAssessment.objects.create(report=report, commitment=commitment)
    return report


@pytest.fixture
def participation():
    """A public plan with a published report and an opened consultation, next to
    a report still under review, a draft, and consultations nobody may see yet."""
    plan = ActionPlanFactory(slug="kutaisi", title="Kutaisi action plan")
    body = MonitoringBodyFactory(plan=plan, name="LDA Georgia")
    body.accounts.add(UserFactory(username="monitor-login", email="monitor@example.org"))
    commitment = CommitmentFactory(plan=plan, identifier="KU0001", title="Open budget")
    other = CommitmentFactory(plan=plan, identifier="KU0002", title="Open data")
    published = report_on(plan, status=Report.Status.PUBLISHED, commitment=commitment)
    report_on(plan, status=Report.Status.SUBMITTED, commitment=commitment, days_ago=1)
    report_on(plan, status=Report.Status.DRAFT, commitment=commitment, days_ago=3)
    opened = ConsultationFactory(plan=plan, title="Consultation on the draft plan")
    ConsultationFactory(plan=plan, title="Unpublished consultation", is_published=False)
    ConsultationFactory(
        plan=plan,
        title="Announced consultation",
        opens_at=NOW + datetime.timedelta(days=3),
        closes_at=NOW + datetime.timedelta(days=10),
    )
    draft = ActionPlanFactory(slug="draft-plan", draft=True)
    ConsultationFactory(plan=draft, title="Draft plan consultation")
    return {"plan": plan, "report": published, "consultation": opened, "other": other}


def entries_by_title(feed):
    return {entry.title: entry for entry in feed.entries}


@pytest.mark.parametrize("url", ["/en/feeds/changes.{kind}", "/en/plans/kutaisi/changes.{kind}"])
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_site_and_plan_feeds_announce_published_reports_and_opened_consultations(
    client, participation, url, kind
):
    report, consultation = participation["report"], participation["consultation"]

    feed = parse_feed(client, url.format(kind=kind))
    text = client.get(url.format(kind=kind)).content.decode()

    entries = entries_by_title(feed)
    report_entry = entries[f"Monitoring report published: {report}"]
    assert report_entry.link == f"http://testserver/en/reports/{report.pk}/"
    assert report_entry.summary.startswith("Progress report by LDA Georgia on ")
    assert report_entry.published_parsed[:3] == report.published_at.utctimetuple()[:3]
    consultation_entry = entries["Consultation opened: Consultation on the draft plan"]
    assert consultation_entry.link == f"http://testserver/en/consultations/{consultation.pk}/"
    assert consultation_entry.summary.startswith("Draft action plan. Open until ")
    assert len([title for title in entries if title.startswith("Monitoring report")]) == 1
    assert len([title for title in entries if title.startswith("Consultation")]) == 1
    for secret in [
        "Unpublished consultation",
        "Announced consultation",
        "Draft plan consultation",
        "monitor-login",
        "monitor@example.org",
    ]:
        assert secret not in text


def test_commitment_feed_announces_the_published_reports_that_assess_it(client, participation):
    report = participation["report"]

    assessed = entries_by_title(parse_feed(client, "/en/commitments/KU0001/changes.rss"))
    not_assessed = entries_by_title(parse_feed(client, "/en/commitments/KU0002/changes.atom"))

    assert [title for title in assessed if "report" in title] == [
        f"Monitoring report published: {report}"
    ]
    assert not [title for title in not_assessed if "report" in title]
    assert not [title for title in assessed if title.startswith("Consultation")]


def test_reports_of_a_draft_plan_stay_out_of_the_site_feed(client):
    draft = ActionPlanFactory(draft=True)
    MonitoringBodyFactory(plan=draft)
    report = report_on(draft, status=Report.Status.PUBLISHED)

    feed = parse_feed(client, "/en/feeds/changes.rss")

    assert f"Monitoring report published: {report}" not in entries_by_title(feed)


def test_feeds_keep_their_query_count_with_more_reports_and_consultations(
    client, participation, django_assert_max_num_queries
):
    urls = [
        "/en/feeds/changes.rss",
        "/en/plans/kutaisi/changes.atom",
        "/en/commitments/KU0001/changes.rss",
    ]
    before = {}
    for url in urls:
        with django_assert_max_num_queries(13) as queries:
            client.get(url)
        before[url] = len(queries.captured_queries)
    plan = participation["plan"]
    for days in range(4, 40):
        report_on(
            plan, status=Report.Status.PUBLISHED, commitment=participation["other"], days_ago=days
        )
        report_on(
            plan,
            status=Report.Status.PUBLISHED,
            kind=Report.Kind.FINAL,
            commitment=CommitmentFactory(plan=plan),
            days_ago=days,
        )
        ConsultationFactory(plan=plan, opens_at=NOW - datetime.timedelta(days=days))

    for url in urls:
        with django_assert_max_num_queries(13) as queries:
            feed = parse_feed(client, url)
        assert len(queries.captured_queries) == before[url], url
        assert len(feed.entries) <= 30


def test_plan_calendar_has_consultations_opening_and_closing(client, participation):
    consultation = participation["consultation"]

    response = client.get("/en/plans/kutaisi/calendar.ics")

    events = {
        str(event["UID"]): event
        for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    opens = events[f"consultation-{consultation.pk}-opens@testserver"]
    closes = events[f"consultation-{consultation.pk}-closes@testserver"]
    assert str(opens["SUMMARY"]) == "Consultation opens: Consultation on the draft plan"
    assert str(closes["SUMMARY"]) == "Consultation closes: Consultation on the draft plan"
    assert opens.decoded("DTSTART") == consultation.opens_at.replace(microsecond=0)
    assert closes.decoded("DTSTART") == consultation.closes_at.replace(microsecond=0)
    assert str(opens["URL"]) == f"http://testserver/en/consultations/{consultation.pk}/"
    summaries = " ".join(str(event["SUMMARY"]) for event in events.values())
    assert "Announced consultation" in summaries  # public, not yet open
    assert "Unpublished consultation" not in summaries
