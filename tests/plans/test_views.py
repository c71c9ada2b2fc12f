"""Public pages of plans: home, plan, about the figures, sitemap, robots, 404."""

import datetime
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.views.defaults import server_error

from commitments.models import Commitment
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    EndorsementFactory,
    MeetingFactory,
    MeetingParticipationFactory,
    MilestoneFactory,
    MonitoringBodyFactory,
    MonitoringBodyMemberFactory,
    ParticipationFigureFactory,
    PolicyAreaFactory,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_home_lists_published_plans_and_hides_drafts(client):
    ActionPlanFactory(title="Kutaisi action plan 2022-2025")
    ActionPlanFactory(title="Secret draft plan", draft=True)

    page = text_of(client.get("/en/"))

    assert "Kutaisi action plan 2022-2025" in page
    assert "Secret draft plan" not in page


def test_home_figures_count_public_commitments_and_milestones(client):
    commitment = CommitmentFactory()
    MilestoneFactory(commitment=commitment, completed=True)
    MilestoneFactory(commitment=commitment)
    CommitmentFactory(is_published=False, plan=commitment.plan)

    response = client.get("/en/")

    figures = response.context["figures"]
    assert figures["commitments"] == 1
    assert (figures["milestones_completed"], figures["milestones"]) == (1, 2)
    assert "1 of 2" in text_of(response)


def test_home_lists_next_deadlines_of_unfinished_milestones(client):
    commitment = CommitmentFactory(end_date=datetime.date(2099, 12, 31))
    MilestoneFactory(
        commitment=commitment, title="Launch the portal", end_date=datetime.date(2099, 6, 1)
    )
    MilestoneFactory(
        commitment=commitment,
        title="Already done",
        end_date=datetime.date(2099, 5, 1),
        completed=True,
    )

    response = client.get("/en/")

    assert [m.title for m in response.context["deadlines"]] == ["Launch the portal"]
    assert "Launch the portal" in text_of(response)


def test_plan_page_shows_everything_about_the_plan(client):
    plan = ActionPlanFactory(
        title="Regueb action plan", vision="A transparent municipality", groups_count=7
    )
    CommitmentFactory(plan=plan, title="Citizen budget")
    CommitmentFactory(plan=plan, title="Hidden commitment", is_published=False)
    EndorsementFactory(plan=plan, name="Amira Ben Salah")
    ParticipationFigureFactory(plan=plan, label="Young people", count=120)
    body = MonitoringBodyFactory(plan=plan, name="Follow-up committee")
    MonitoringBodyMemberFactory(body=body, name="Public member", email="shown@example.org",
                                email_is_public=True)  # fmt: skip
    MonitoringBodyMemberFactory(body=body, name="Private member", email="hidden@example.org")

    page = text_of(client.get(plan.get_absolute_url()))

    for expected in [
        "Regueb action plan",
        "A transparent municipality",
        "Long-term open government vision",
        "Citizen budget",
        "Amira Ben Salah",
        "Young people",
        "120",
        "Follow-up committee",
        "Public member",
        "shown@example.org",
        "Private member",
    ]:
        assert expected in page, expected
    assert "Hidden commitment" not in page
    assert "hidden@example.org" not in page


def test_plan_participation_is_computed_from_the_meetings_that_record_it(client):
    plan = ActionPlanFactory()
    MeetingParticipationFactory(meeting=MeetingFactory(plan=plan), count=30)
    MeetingParticipationFactory(meeting=MeetingFactory(plan=plan), count=46)

    response = client.get(plan.get_absolute_url())

    assert response.context["participation"].total == 76
    assert '<table class="data-table"' in response.content.decode()
    assert "Computed from 2 meetings" in response.content.decode()


def test_plan_commitments_are_paginated(client):
    plan = ActionPlanFactory()
    CommitmentFactory.create_batch(25, plan=plan)

    first = client.get(plan.get_absolute_url())
    second = client.get(plan.get_absolute_url() + "?page=2")

    assert len(first.context["commitments"].object_list) == 20
    assert len(second.context["commitments"].object_list) == 5
    assert 'rel="next"' in first.content.decode()


def test_draft_plan_answers_404(client):
    plan = ActionPlanFactory(draft=True)

    assert client.get(plan.get_absolute_url()).status_code == 404


def test_unknown_plan_answers_404_in_the_site_design(client):
    response = client.get("/fr/plans/no-such-plan/")

    assert response.status_code == 404
    assert 'class="skip-link"' in response.content.decode()
    assert '<html lang="fr"' in response.content.decode()


def test_language_switcher_keeps_the_current_page_and_query(client):
    plan = ActionPlanFactory(slug="kutaisi")

    page = client.get("/en/plans/kutaisi/?page=1").content.decode()

    assert 'href="/ar/plans/kutaisi/?page=1"' in page
    assert 'hreflang="ka"' in page
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr/plans/kutaisi/' in page
    assert plan.slug == "kutaisi"


def test_arabic_pages_are_right_to_left(client):
    ActionPlanFactory()

    page = client.get("/ar/").content.decode()

    assert '<html lang="ar" dir="rtl">' in page


def test_staff_text_in_another_language_is_marked_with_its_language(client):
    plan = ActionPlanFactory(title_en="", title_fr="Plan d'action de Regueb")

    page = client.get("/en/plans/" + plan.slug + "/").content.decode()

    assert '<span lang="fr" dir="ltr">Plan d&#x27;action de Regueb</span>' in page


def test_about_the_figures_explains_every_computed_number(client):
    page = text_of(client.get("/en/about/figures/"))

    for topic in ["Progress of a commitment", "Progress of a plan", "At risk", "Overdue",
                  "Share on track", "Participation"]:  # fmt: skip
        assert topic in page


def test_sitemap_lists_public_pages_in_every_language_only(client):
    public = CommitmentFactory(identifier="PB0001")
    CommitmentFactory(identifier="PV0001", is_published=False, plan=public.plan)
    draft_plan = ActionPlanFactory(draft=True, slug="draft-plan")
    CommitmentFactory(identifier="DR0001", plan=draft_plan)

    sitemap = client.get("/sitemap.xml").content.decode()

    assert "/en/commitments/PB0001/" in sitemap
    assert "/ar/commitments/PB0001/" in sitemap
    assert 'hreflang="ka"' in sitemap
    assert f"/en/plans/{public.plan.slug}/" in sitemap
    assert "PV0001" not in sitemap
    assert "DR0001" not in sitemap
    assert "draft-plan" not in sitemap


def test_robots_txt_points_to_the_sitemap_and_keeps_robots_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /*/admin/" in body


def test_public_pages_refuse_post(client):
    assert client.post("/en/").status_code == 405


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=300)
def test_cached_page_changes_as_soon_as_staff_save(client):
    commitment = CommitmentFactory(title="First title")
    assert "First title" in client.get(commitment.get_absolute_url()).content.decode()

    commitment = Commitment.objects.get(pk=commitment.pk)
    commitment.title = "Second title"
    commitment.save()

    assert "Second title" in client.get(commitment.get_absolute_url()).content.decode()


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=300)
def test_cached_pages_are_served_to_anonymous_visitors_only(client, editor_client):
    plan = ActionPlanFactory()
    client.get(plan.get_absolute_url())

    with CaptureQueriesContext(connection) as anonymous_queries:
        client.get(plan.get_absolute_url())
    with CaptureQueriesContext(connection) as staff_queries:
        editor_client.get(plan.get_absolute_url())

    assert len(anonymous_queries) == 0
    # The session and user lookups, then the page's own queries.
    assert len(staff_queries) > 4


def test_home_latest_changes_show_a_new_commitment_once(client):
    area = PolicyAreaFactory()
    commitment = CommitmentFactory(title="Open contracting")
    commitment.policy_areas.add(area)  # a second history row, seconds later

    events = [
        event
        for event in client.get("/en/").context["changes"]
        if event["identifier"] == commitment.identifier
    ]

    assert [event["kind"] for event in events] == ["+"]


def test_server_error_page_is_in_the_site_design_and_translated(rf):
    request = rf.get("/fr/")
    with translation.override("fr"):
        response = server_error(request)

    page = response.content.decode()
    assert response.status_code == 500
    assert 'lang="fr"' in page
    assert "css/portal" in page
    assert "Something went wrong" not in page


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=300)
def test_sitemap_is_served_from_the_cache(client):
    CommitmentFactory(identifier="SM0001")

    first = client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/sitemap.xml")

    assert first.status_code == second.status_code == 200
    assert len(queries) == 0
    assert second.content == first.content
    assert b"/en/commitments/SM0001/" in second.content
