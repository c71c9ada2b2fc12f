"""The co-creation record: a public page per plan of its meetings, upcoming
and past, and the plan's participation figures with where they come from."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations.models import Meeting
from consultations.selectors.meetings import plan_meetings_public, plan_participation
from plans.models import Sector
from tests.factories import (
    ActionPlanFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    MeetingParticipationFactory,
    ParticipationFigureFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def page_of(client, plan):
    response = client.get(f"/en/plans/{plan.slug}/co-creation/")
    assert response.status_code == 200
    return response


def section(html, heading_id, next_heading_id=None):
    start = html.index(f'id="{heading_id}"')
    end = html.index(f'id="{next_heading_id}"') if next_heading_id else len(html)
    return html[start:end]


def test_cocreation_page_shows_a_meeting_with_everything_it_recorded(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = ActionPlanFactory(slug="regueb")
    meeting = MeetingFactory(
        plan=plan,
        title="Deliberative council",
        format=Meeting.Format.DELIBERATIVE_COUNCIL,
        date=datetime.date(2022, 3, 14),
        start_time=datetime.time(17, 30),
        venue="Youth centre",
        online_link="https://meet.example.org/regueb",
        groups_count=6,
        minutes="The council chose **five** priorities.",
    )
    MeetingParticipationFactory(meeting=meeting, sector=Sector.CITIZENS, count=257)
    MeetingParticipationFactory(meeting=meeting, sector=Sector.GOVERNMENT, count=5)
    MeetingDocumentFactory(meeting=meeting, title="Slides", url="https://example.org/slides")
    MeetingDocumentFactory(
        meeting=meeting,
        title="Signed minutes",
        url="",
        file=SimpleUploadedFile("0123abcd.pdf", PDF),
    )

    html = page_of(client, plan).content.decode()

    past = section(html, "past-title")
    for expected in [
        "Deliberative council",
        '<time datetime="2022-03-14T17:30">',
        "Youth centre",
        'href="https://meet.example.org/regueb"',
        "<caption",
        "Citizens",
        "257",
        "<strong>five</strong>",
        'href="https://example.org/slides"',
        "Signed minutes",
        "(PDF)",
        'href="/media/meeting-documents/',
    ]:
        assert expected in past, expected
    assert html.count("<h1") == 1


def test_meetings_split_into_upcoming_and_past_at_midnight_in_the_site_time_zone(client, settings):
    # Whatever the hour, one of these zones is already on another day than UTC.
    utc_today = timezone.now().astimezone(datetime.UTC).date()
    zone = next(
        name
        for name in ["Pacific/Kiritimati", "Pacific/Pago_Pago"]
        if timezone.now().astimezone(ZoneInfo(name)).date() != utc_today
    )
    settings.TIME_ZONE = zone
    local_today = timezone.now().astimezone(ZoneInfo(zone)).date()
    plan = ActionPlanFactory()
    day_before = MeetingFactory(
        plan=plan, title="Day before", date=local_today - datetime.timedelta(days=1)
    )
    today = MeetingFactory(plan=plan, title="Meeting today", date=local_today)
    utc_day = MeetingFactory(plan=plan, title="UTC day", date=utc_today)

    response = page_of(client, plan)

    upcoming = [meeting.title for meeting in response.context["upcoming"]]
    past = [meeting.title for meeting in response.context["past"]]
    assert "Meeting today" in upcoming
    assert "Day before" in past
    # The UTC calendar day is a day before or after the site's: it falls on the right side.
    assert ("UTC day" in upcoming) == (utc_day.date >= local_today)
    assert ("UTC day" in past) == (utc_day.date < local_today)
    assert {day_before.pk, today.pk, utc_day.pk} == {
        meeting.pk for meeting in [*response.context["upcoming"], *response.context["past"]]
    }


def test_upcoming_meetings_come_soonest_first_and_past_ones_latest_first():
    plan = ActionPlanFactory()
    today = datetime.date(2024, 6, 1)
    for days in [-30, 10, -1, 0, 3]:
        MeetingFactory(plan=plan, title=f"day {days}", date=today + datetime.timedelta(days=days))
    MeetingFactory(title="another plan's", date=today)

    meetings = plan_meetings_public(plan=plan, today=today)

    assert [m.title for m in meetings["upcoming"]] == ["day 0", "day 3", "day 10"]
    assert [m.title for m in meetings["past"]] == ["day -1", "day -30"]


def test_plan_reporting_only_totals_shows_them_as_reported(client):
    plan = ActionPlanFactory(slug="regueb", groups_count=20, public_meetings_count=7)
    ParticipationFigureFactory(plan=plan, sector=Sector.CIVIL_SOCIETY, label="CSOs", count=11)
    ParticipationFigureFactory(plan=plan, sector=Sector.CITIZENS, label="Council", count=445)
    MeetingFactory(plan=plan)  # a meeting that recorded no participants

    for url in ["/en/plans/regueb/co-creation/", "/en/plans/regueb/"]:
        response = client.get(url)
        participation = response.context["participation"]
        html = response.content.decode()

        assert participation.source == participation.REPORTED
        assert participation.total == 456
        assert (participation.groups_count, participation.meetings_count) == (20, 7)
        assert "As reported in the plan." in html
        assert "456" in html and "Council" in html


def test_plan_whose_meetings_record_participants_shows_their_sums(client):
    plan = ActionPlanFactory(slug="kutaisi", groups_count=99, public_meetings_count=99)
    ParticipationFigureFactory(plan=plan, count=1000)  # superseded by the meetings' record
    for count, groups in [(76, 3), (181, None)]:
        meeting = MeetingFactory(plan=plan, groups_count=groups)
        MeetingParticipationFactory(meeting=meeting, sector=Sector.CITIZENS, count=count)
        MeetingParticipationFactory(meeting=meeting, sector=Sector.ACADEMIA, count=2)
    MeetingFactory(plan=plan, groups_count=50)  # nobody counted: not in the figures
    MeetingParticipationFactory(sector=Sector.CITIZENS, count=5000)  # another plan's

    participation = plan_participation(plan)

    assert participation.source == participation.COMPUTED
    assert [(row["sector_label"], row["count"]) for row in participation.rows] == [
        ("Citizens", 257),
        ("Academia", 4),
    ]
    assert (participation.total, participation.meetings_count, participation.groups_count) == (
        261,
        2,
        3,
    )
    for url in ["/en/plans/kutaisi/co-creation/", "/en/plans/kutaisi/"]:
        html = client.get(url).content.decode()
        assert "Computed from 2 meetings that recorded their participants." in html
        assert "261" in html


def test_plan_without_any_figure_shows_dashes_and_no_source(client):
    plan = ActionPlanFactory(groups_count=None, public_meetings_count=None)

    html = page_of(client, plan).content.decode()

    assert "As reported in the plan." not in html
    assert "No meeting has been recorded yet." in html
    assert "No meeting is planned at the moment." in html


def test_draft_plan_has_no_cocreation_page(client):
    plan = ActionPlanFactory(slug="draft-plan", draft=True)
    MeetingFactory(plan=plan, title="Secret meeting")

    assert client.get("/en/plans/draft-plan/co-creation/").status_code == 404
    assert client.get("/en/plans/no-such-plan/co-creation/").status_code == 404


def test_cocreation_page_is_linked_from_the_plan_page(client):
    plan = ActionPlanFactory(slug="gjakova")

    html = client.get("/en/plans/gjakova/").content.decode()

    assert html.count('href="/en/plans/gjakova/co-creation/"') == 2
    assert 'href="/en/plans/gjakova/calendar.ics"' in page_of(client, plan).content.decode()


def test_past_meetings_are_paginated(client):
    plan = ActionPlanFactory()
    for day in range(25):
        MeetingFactory(plan=plan, date=datetime.date(2020, 1, 1) + datetime.timedelta(days=day))

    first = page_of(client, plan)
    second = client.get(f"/en/plans/{plan.slug}/co-creation/?page=2")

    assert len(first.context["past"].object_list) == 20
    assert len(second.context["past"].object_list) == 5
    assert 'rel="next"' in first.content.decode()


def test_cocreation_pages_keep_their_query_count_as_the_record_grows(
    client, django_assert_max_num_queries
):
    plan = ActionPlanFactory(slug="cartagena")
    today = timezone.localdate()

    def add_meetings(n):
        for offset in range(1, n + 1):
            for date in [
                today + datetime.timedelta(days=offset),
                today - datetime.timedelta(days=offset),
            ]:
                meeting = MeetingFactory(plan=plan, date=date)
                MeetingParticipationFactory(meeting=meeting, sector=Sector.CITIZENS)
                MeetingParticipationFactory(meeting=meeting, sector=Sector.ACADEMIA)
                MeetingDocumentFactory.create_batch(2, meeting=meeting)

    add_meetings(1)
    ParticipationFigureFactory(plan=plan)
    with django_assert_max_num_queries(11) as small:
        client.get("/en/plans/cartagena/co-creation/")
    add_meetings(8)
    ParticipationFigureFactory(plan=plan)
    with django_assert_max_num_queries(11) as large:
        client.get("/en/plans/cartagena/co-creation/")

    assert len(large.captured_queries) == len(small.captured_queries)
