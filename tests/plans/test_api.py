"""The API's jurisdictions and plans: only public plans, in the requested
language, paginated with a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    EndorsementFactory,
    InstitutionFactory,
    JurisdictionFactory,
    MeetingFactory,
    MeetingParticipationFactory,
    MilestoneFactory,
    MonitoringBodyFactory,
    MonitoringBodyMemberFactory,
    ParticipationFigureFactory,
)

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def slugs(data) -> list[str]:
    return [item["slug"] for item in data["results"]]


def test_plan_list_shows_public_plans_with_progress_and_hides_drafts(client):
    plan = ActionPlanFactory(slug="kutaisi-2022-2025")
    ActionPlanFactory(slug="secret-draft", draft=True)
    MilestoneFactory(commitment=CommitmentFactory(plan=plan), completed=True)
    CommitmentFactory(plan=plan, is_published=False)

    data = get_json(client, "/api/v1/plans/")

    assert slugs(data) == ["kutaisi-2022-2025"]
    [item] = data["results"]
    assert item["progress"] == 1.0
    assert item["commitment_count"] == 1
    assert item["url"] == "http://testserver/en/plans/kutaisi-2022-2025/"
    assert item["api_url"] == "http://testserver/api/v1/plans/kutaisi-2022-2025/"


def test_draft_plan_answers_404_like_its_page(client):
    ActionPlanFactory(slug="secret-draft", draft=True)

    data = get_json(client, "/api/v1/plans/secret-draft/", status=404)

    assert data["detail"]


def test_plan_detail_has_the_plan_page_content(client):
    lead = InstitutionFactory(name="Mayor's office")
    plan = ActionPlanFactory(
        slug="regueb", vision="A transparent municipality", lead_institutions=[lead]
    )
    EndorsementFactory(plan=plan, name="Amira Ben Salah", organisation="CSO Regueb")
    ParticipationFigureFactory(plan=plan, label="Young people", count=120)
    body = MonitoringBodyFactory(plan=plan, name="Follow-up committee")
    MonitoringBodyMemberFactory(body=body, name="Public member", organisation="University")

    data = get_json(client, "/api/v1/plans/regueb/")

    assert data["lead_institutions"][0]["name"] == {"text": "Mayor's office", "language": "en"}
    assert data["narrative"] == [
        {
            "section": "vision",
            "heading": "Long-term open government vision",
            "text": {"text": "A transparent municipality", "language": "en"},
        }
    ]
    assert data["endorsements"][0]["name"] == "Amira Ben Salah"
    assert data["participation"][0]["count"] == 120
    assert data["monitoring_body"]["name"]["text"] == "Follow-up committee"
    assert data["monitoring_body"]["members"] == [
        {
            "name": "Public member",
            "organisation": {"text": "University", "language": "en"},
            "sector": "civil_society",
            "sector_label": "Civil society",
        }
    ]
    assert data["commitments_api_url"] == "http://testserver/api/v1/commitments/?plan=regueb"


def test_plan_participation_is_reported_until_meetings_record_it_as_on_the_pages(client):
    plan = ActionPlanFactory(slug="regueb", groups_count=12, public_meetings_count=9)
    ParticipationFigureFactory(plan=plan, label="Residents", count=456)

    reported = get_json(client, "/api/v1/plans/regueb/")

    assert reported["participation_source"] == "reported"
    assert [row["count"] for row in reported["participation"]] == [456]
    assert (reported["groups_count"], reported["public_meetings_count"]) == (12, 9)

    first = MeetingFactory(plan=plan, groups_count=3)
    MeetingParticipationFactory(meeting=first, sector="citizens", count=40)
    MeetingParticipationFactory(meeting=first, sector="civil_society", count=7)
    second = MeetingFactory(plan=plan, groups_count=2)
    MeetingParticipationFactory(meeting=second, sector="citizens", count=35)
    MeetingFactory(plan=plan)  # records no participation: not counted

    computed = get_json(client, "/api/v1/plans/regueb/")
    page = client.get("/en/plans/regueb/").content.decode()

    assert computed["participation_source"] == "computed"
    assert [(row["sector"], row["count"]) for row in computed["participation"]] == [
        ("citizens", 75),
        ("civil_society", 7),
    ]
    assert computed["participation"][0]["sector_label"] == "Citizens"
    assert (computed["groups_count"], computed["public_meetings_count"]) == (5, 2)
    assert "75" in page and "456" not in page


def test_monitoring_body_members_never_show_an_email(client):
    body = MonitoringBodyFactory(contact_email="office@monitors.example.org")
    MonitoringBodyMemberFactory(body=body, email="private@example.org")
    MonitoringBodyMemberFactory(body=body, email="consented@example.org", email_is_public=True)

    text = client.get(f"/api/v1/plans/{body.plan.slug}/").content.decode()

    assert "office@monitors.example.org" in text  # the body's public address
    assert "private@example.org" not in text
    assert "consented@example.org" not in text


def test_plan_list_filters_by_jurisdiction_and_status(client):
    kutaisi = JurisdictionFactory(slug="kutaisi")
    ActionPlanFactory(slug="kutaisi-plan", jurisdiction=kutaisi, status="completed")
    ActionPlanFactory(slug="other-plan")

    assert slugs(get_json(client, "/api/v1/plans/?jurisdiction=kutaisi")) == ["kutaisi-plan"]
    assert slugs(get_json(client, "/api/v1/plans/?status=completed")) == ["kutaisi-plan"]


def test_plan_filter_refuses_unknown_status_and_empty_values(client):
    data = get_json(client, "/api/v1/plans/?status=draft", status=400)
    assert list(data["errors"]) == ["status"]

    data = get_json(client, "/api/v1/plans/?jurisdiction=", status=400)
    assert "Leave the parameter out" in data["errors"]["jurisdiction"][0]


def test_jurisdictions_list_only_those_with_a_public_plan(client):
    plan = ActionPlanFactory(jurisdiction__slug="kutaisi", slug="kutaisi-plan")
    ActionPlanFactory(jurisdiction=plan.jurisdiction, slug="kutaisi-draft", draft=True)
    ActionPlanFactory(jurisdiction__slug="only-drafts", draft=True)

    data = get_json(client, "/api/v1/jurisdictions/")

    assert slugs(data) == ["kutaisi"]
    assert [p["slug"] for p in data["results"][0]["plans"]] == ["kutaisi-plan"]
    get_json(client, "/api/v1/jurisdictions/only-drafts/", status=404)


def test_text_comes_in_the_language_asked_by_parameter_or_header(client):
    ActionPlanFactory(slug="p", title_en="Action plan", title_fr="Plan d'action")

    by_parameter = get_json(client, "/api/v1/plans/p/?lang=fr")
    by_header = get_json(client, "/api/v1/plans/p/", HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9")
    by_default = get_json(client, "/api/v1/plans/p/", HTTP_ACCEPT_LANGUAGE="de, *;q=0.5")
    both = get_json(client, "/api/v1/plans/p/?lang=en", HTTP_ACCEPT_LANGUAGE="fr")

    assert by_parameter["title"] == {"text": "Plan d'action", "language": "fr"}
    assert by_parameter["url"] == "http://testserver/fr/plans/p/"
    assert by_parameter["status_label"] == "Publié"
    assert by_header["title"] == {"text": "Plan d'action", "language": "fr"}
    assert by_default["title"] == {"text": "Action plan", "language": "en"}
    assert both["title"]["language"] == "en"


def test_missing_translation_falls_back_and_says_its_language(client):
    ActionPlanFactory(slug="p", title_en="", title_fr="Plan d'action de Regueb")

    response = client.get("/api/v1/plans/p/?lang=ar")

    assert response["Content-Language"] == "ar"
    assert response.json()["title"] == {"text": "Plan d'action de Regueb", "language": "fr"}


def test_unknown_language_is_refused_with_a_clear_message(client):
    data = get_json(client, "/api/v1/plans/?lang=de", status=400)

    assert "Unknown language “de”" in data["errors"]["lang"][0]


def test_plan_list_is_paginated(client):
    ActionPlanFactory.create_batch(3)

    first = get_json(client, "/api/v1/plans/?page_size=2")
    second = get_json(client, first["next"].removeprefix("http://testserver"))

    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert len(second["results"]) == 1
    get_json(client, "/api/v1/plans/?page=3&page_size=2", status=404)
    get_json(client, "/api/v1/plans/?page_size=101", status=400)
    get_json(client, "/api/v1/plans/?page=first", status=400)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_plan_and_jurisdiction_endpoints_keep_their_query_count_as_data_grows(
    client, django_assert_max_num_queries
):
    first = ActionPlanFactory(slug="first")
    MonitoringBodyMemberFactory(body=MonitoringBodyFactory(plan=first))
    urls = ["/api/v1/plans/", "/api/v1/jurisdictions/", "/api/v1/plans/first/"]
    before = {url: count_queries(client, url) for url in urls}

    for plan in ActionPlanFactory.create_batch(15):
        ActionPlanFactory.create_batch(2, jurisdiction=plan.jurisdiction)
    first.lead_institutions.set(InstitutionFactory.create_batch(4))
    CommitmentFactory.create_batch(5, plan=first)
    EndorsementFactory.create_batch(5, plan=first)
    ParticipationFigureFactory.create_batch(5, plan=first)
    MonitoringBodyMemberFactory.create_batch(5, body=first.monitoring_body)

    after = {url: count_queries(client, url) for url in urls}
    assert after == before
    for url in urls:
        with django_assert_max_num_queries(8):
            client.get(url)
