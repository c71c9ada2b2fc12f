"""The site's and a plan's feeds of changes (RSS, Atom) and a plan's
calendar (iCalendar), parsed as readers and calendar apps would."""

import datetime

import icalendar
import pytest

from commitments.models import Milestone
from plans.models import ActionPlan
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MeetingFactory,
    MilestoneFactory,
)
from tests.feeds import parse_feed, save_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_and_private(editor):
    """A public plan with a public commitment, next to things nobody may see yet."""
    plan = ActionPlanFactory(slug="kutaisi", title="Kutaisi action plan")
    public = CommitmentFactory(plan=plan, identifier="KU0001", title="Open budget")
    milestone = MilestoneFactory(commitment=public, title="Publish the budget")
    save_as(editor, milestone, status=Milestone.Status.COMPLETED,
            completion_date=datetime.date(2024, 1, 15))  # fmt: skip
    hidden = CommitmentFactory(
        plan=plan, identifier="KU0002", title="Secret commitment", is_published=False
    )
    MilestoneFactory(commitment=hidden, title="Secret milestone")
    draft = ActionPlanFactory(slug="draft-plan", title="Secret draft plan", draft=True)
    CommitmentFactory(plan=draft, identifier="DR0001", title="Commitment of a draft")
    return plan


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_site_feed_lists_public_changes_only(client, public_and_private, kind):
    feed = parse_feed(client, f"/en/feeds/changes.{kind}")
    text = client.get(f"/en/feeds/changes.{kind}").content.decode()

    assert [entry.title for entry in feed.entries] == [
        "KU0001, milestone updated: Publish the budget",
        "KU0001, milestone added: Publish the budget",
        "KU0001 added: Open budget",
        "Action plan added: Kutaisi action plan",
    ]
    assert feed.entries[0].summary == (
        "Status: Not started → Completed; Completion date: none → 2024-01-15"
    )
    assert feed.entries[-1].link == "http://testserver/en/plans/kutaisi/"
    for secret in ["Secret", "draft", "DR0001", "KU0002"]:
        assert secret not in text


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_plan_feed_lists_the_plan_and_its_commitments_changes(client, public_and_private, kind):
    CommitmentFactory(identifier="OT0001", title="Another plan's commitment")

    feed = parse_feed(client, f"/en/plans/kutaisi/changes.{kind}")

    assert [entry.title for entry in feed.entries] == [
        "KU0001, milestone updated: Publish the budget",
        "KU0001, milestone added: Publish the budget",
        "KU0001 added: Open budget",
        "Action plan added: Kutaisi action plan",
    ]
    assert feed.feed.title == "Changes to Kutaisi action plan"


def test_plan_feed_announces_publication_not_the_draft_work(client, editor):
    plan = ActionPlanFactory(slug="regueb", title="Working title", draft=True)
    save_as(editor, plan, title="Regueb action plan", status=ActionPlan.Status.PUBLISHED)
    save_as(editor, plan, status=ActionPlan.Status.IN_IMPLEMENTATION)

    feed = parse_feed(client, "/en/plans/regueb/changes.rss")

    assert [entry.title for entry in feed.entries] == [
        "Action plan updated: Regueb action plan",
        "Action plan published: Regueb action plan",
    ]
    assert feed.entries[0].summary == "Status: Published → In implementation"
    assert "Working title" not in client.get("/en/plans/regueb/changes.rss").content.decode()


def test_draft_plan_has_no_feed_and_no_calendar(client):
    ActionPlanFactory(slug="draft-plan", draft=True)

    for url in ["changes.rss", "changes.atom", "calendar.ics"]:
        assert client.get(f"/en/plans/draft-plan/{url}").status_code == 404


def test_feeds_are_advertised_on_the_pages(client, public_and_private):
    home = client.get("/en/").content.decode()
    plan = client.get("/en/plans/kutaisi/").content.decode()
    commitment = client.get("/en/commitments/KU0001/").content.decode()

    assert 'type="application/rss+xml" title="Changes to the action plans (RSS)" ' in home
    assert 'href="/en/feeds/changes.rss"' in home
    assert 'href="/en/plans/kutaisi/changes.rss"' in plan
    assert 'href="/en/plans/kutaisi/calendar.ics"' in plan
    assert '<link rel="alternate" type="application/atom+xml"' in commitment
    assert 'href="/en/commitments/KU0001/changes.atom"' in commitment


def test_site_feed_keeps_its_query_count_as_history_grows(
    client, editor, django_assert_max_num_queries
):
    plan = ActionPlanFactory()
    CommitmentFactory(plan=plan)
    with django_assert_max_num_queries(12):
        client.get("/en/feeds/changes.rss")
    for _ in range(20):
        milestone = MilestoneFactory(commitment=CommitmentFactory(plan=plan))
        save_as(editor, milestone, status=Milestone.Status.IN_PROGRESS)

    with django_assert_max_num_queries(12):
        feed = parse_feed(client, "/en/feeds/changes.rss")
    assert len(feed.entries) == 30


def calendar_events(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_plan_calendar_has_meetings_and_milestone_deadlines(client, public_and_private):
    plan = public_and_private
    workshop = MeetingFactory(
        plan=plan,
        title="Co-creation workshop",
        venue="City hall",
        date=datetime.date(2021, 10, 5),
        start_time=datetime.time(14, 30),
    )
    forum = MeetingFactory(plan=plan, title="Transparency forum", date=datetime.date(2021, 11, 2))
    MeetingFactory(title="Another plan's meeting")
    milestone = Milestone.objects.get(title="Publish the budget")
    MilestoneFactory(commitment=milestone.commitment, title="No deadline yet", end_date=None)

    calendar, events = calendar_events(client, "/en/plans/kutaisi/calendar.ics")

    assert str(calendar["X-WR-CALNAME"]) == "Kutaisi action plan: meetings and deadlines"
    assert set(events) == {
        f"meeting-{workshop.pk}@testserver",
        f"meeting-{forum.pk}@testserver",
        f"milestone-{milestone.pk}@testserver",
    }
    meeting = events[f"meeting-{workshop.pk}@testserver"]
    assert str(meeting["SUMMARY"]) == "Co-creation workshop"
    assert str(meeting["LOCATION"]) == "City hall"
    assert meeting.decoded("DTSTART") == datetime.datetime(2021, 10, 5, 14, 30, tzinfo=datetime.UTC)
    assert events[f"meeting-{forum.pk}@testserver"].decoded("DTSTART") == datetime.date(2021, 11, 2)
    deadline = events[f"milestone-{milestone.pk}@testserver"]
    assert str(deadline["SUMMARY"]) == "Deadline, KU0001: Publish the budget"
    assert deadline.decoded("DTSTART") == milestone.end_date
    assert str(deadline["URL"]) == "http://testserver/en/commitments/KU0001/"
    assert "Secret" not in client.get("/en/plans/kutaisi/calendar.ics").content.decode()


def test_plan_calendar_comes_in_the_page_language(client):
    plan = ActionPlanFactory(slug="p", title_en="Budget plan", title_fr="Plan budgétaire")
    MilestoneFactory(commitment=CommitmentFactory(plan=plan), title_fr="Étape")

    calendar, events = calendar_events(client, "/fr/plans/p/calendar.ics")

    assert "Plan budgétaire" in str(calendar["NAME"])
    [deadline] = events.values()
    assert "Étape" in str(deadline["SUMMARY"])
    assert str(deadline["URL"]).startswith("http://testserver/fr/")
