"""The API's commitments, milestones and indicators: published ones only,
the list page's filters, a constant number of queries as data grows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import Milestone
from plans.sample_data import sample_commitments_create
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    IndicatorFactory,
    InstitutionFactory,
    MilestoneFactory,
    PolicyAreaFactory,
)

pytestmark = pytest.mark.django_db


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    return response.json()


def identifiers(client, url) -> list[str]:
    return [item["identifier"] for item in get_json(client, url)["results"]]


def test_commitment_list_takes_the_list_page_filters(client, two_plans):
    first = two_plans[0]

    assert identifiers(client, "/api/v1/commitments/?plan=plan-a") == ["AA0001", "AA0002"]
    assert identifiers(client, "/api/v1/commitments/?policy_area=transparency") == ["AA0001"]
    assert identifiers(client, "/api/v1/commitments/?plan=plan-a&value=technology") == ["AA0001"]
    lead = f"/api/v1/commitments/?lead={first.lead_institution.pk}"
    assert identifiers(client, lead) == ["AA0001"]
    assert identifiers(client, "/api/v1/commitments/?status=completed") == ["AA0001"]
    assert identifiers(client, "/api/v1/commitments/?status=not_started") == ["AA0002"]
    assert identifiers(client, "/api/v1/commitments/?q=participatory") == ["AA0002"]
    assert identifiers(client, "/api/v1/commitments/?plan=plan-a&sort=-identifier") == [
        "AA0002",
        "AA0001",
    ]


def test_commitment_list_filters_by_schedule(client):
    late = CommitmentFactory(
        identifier="LT0001",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    MilestoneFactory(commitment=late)
    MilestoneFactory(commitment=CommitmentFactory(identifier="OK0001"), completed=True)

    assert identifiers(client, "/api/v1/commitments/?at_risk=true") == ["LT0001"]
    assert "LT0001" not in identifiers(client, "/api/v1/commitments/?at_risk=false")
    get_json(client, "/api/v1/commitments/?at_risk=maybe", status=400)


def test_commitment_list_refuses_bad_filters_with_a_message_per_parameter(client, two_plans):
    data = get_json(client, "/api/v1/commitments/?plan=no-such-plan&sort=colour", status=400)

    assert set(data["errors"]) == {"plan", "sort"}
    assert data["detail"].startswith("Some query parameters are not valid")


@pytest.mark.parametrize("sort", [",", "progress,", ",-title"])
def test_commitment_list_refuses_a_sort_list_with_an_empty_item(client, sort):
    response = client.get("/api/v1/commitments/", {"sort": sort})

    assert response.status_code == 400
    assert "empty item" in response.json()["errors"]["sort"][0]


def test_unpublished_commitments_are_in_no_list_and_answer_404(client):
    published = CommitmentFactory(identifier="PB0001")
    hidden = CommitmentFactory(identifier="PV0001", is_published=False, plan=published.plan)
    in_draft = CommitmentFactory(identifier="DR0001", plan=ActionPlanFactory(draft=True))
    for commitment in (published, hidden, in_draft):
        MilestoneFactory(commitment=commitment, title=f"Milestone of {commitment.identifier}")
        IndicatorFactory(commitment=commitment, description=f"Measure of {commitment.identifier}")

    assert identifiers(client, "/api/v1/commitments/") == ["PB0001"]
    for identifier in ("PV0001", "DR0001"):
        get_json(client, f"/api/v1/commitments/{identifier}/", status=404)
    milestones = get_json(client, "/api/v1/milestones/")["results"]
    indicators = get_json(client, "/api/v1/indicators/")["results"]
    assert [m["commitment"] for m in milestones] == ["PB0001"]
    assert [i["commitment"] for i in indicators] == ["PB0001"]
    for milestone in Milestone.objects.exclude(commitment=published):
        get_json(client, f"/api/v1/milestones/{milestone.pk}/", status=404)


def test_commitment_detail_has_milestones_indicators_and_irm(client):
    commitment = CommitmentFactory(
        identifier="GE0067",
        objective="Answer every application within 24 hours.",
        irm_verifiable="yes",
        irm_summary="A promising start.",
    )
    MilestoneFactory(commitment=commitment, title="Launch the platform", completed=True)
    IndicatorFactory(commitment=commitment, baseline=0, target=100, current_value=40)

    data = get_json(client, "/api/v1/commitments/GE0067/?lang=fr")

    assert data["objective"] == {"text": "Answer every application within 24 hours.",
                                 "language": "en"}  # fmt: skip
    assert data["progress"] == 1.0
    assert data["milestones"][0]["title"]["text"] == "Launch the platform"
    assert data["milestones"][0]["status"] == "completed"
    assert data["milestones"][0]["status_label"] == "Terminé"
    assert data["indicators"][0]["current_value"] == "40.00"
    assert data["indicators"][0]["achievement"] == 0.4
    assert data["irm"]["verifiable"] == "yes"
    assert data["irm"]["summary"]["text"] == "A promising start."
    assert data["irm"]["ratings"][0]["value"] == "Vérifiable"
    assert data["ogp_values"] == ["access_to_information"]
    assert data["url"] == "http://testserver/fr/commitments/GE0067/"


def test_milestones_filter_by_commitment_plan_and_status(client, two_plans):
    first, second, _third = two_plans

    done = get_json(client, "/api/v1/milestones/?status=completed")["results"]
    of_second = get_json(client, "/api/v1/milestones/?commitment=AA0002")["results"]
    of_plan_b = get_json(client, "/api/v1/milestones/?plan=plan-b")["results"]

    assert [m["commitment"] for m in done] == ["AA0001"]
    assert [m["id"] for m in of_second] == [second.milestones.get().pk]
    assert of_plan_b == []
    get_json(client, "/api/v1/milestones/?status=finished", status=400)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_commitment_endpoints_keep_their_query_count_as_data_grows(
    client, django_assert_max_num_queries
):
    commitment = CommitmentFactory(identifier="GE0067", policy_areas=[PolicyAreaFactory()])
    MilestoneFactory(commitment=commitment)
    IndicatorFactory(commitment=commitment)
    urls = [
        "/api/v1/commitments/",
        "/api/v1/commitments/?q=budget&sort=-progress&at_risk=false",
        "/api/v1/commitments/GE0067/",
        "/api/v1/milestones/",
        "/api/v1/indicators/",
    ]
    before = {url: count_queries(client, url) for url in urls}

    sample_commitments_create(plan=commitment.plan, count=60, milestones_per_commitment=3)
    MilestoneFactory.create_batch(10, commitment=commitment)
    IndicatorFactory.create_batch(5, commitment=commitment)
    commitment.policy_areas.add(*PolicyAreaFactory.create_batch(3))
    commitment.supporting_institutions.add(*InstitutionFactory.create_batch(3))
    for other in commitment.plan.commitments.exclude(pk=commitment.pk)[:30]:
        IndicatorFactory(commitment=other)
        other.policy_areas.add(PolicyAreaFactory())

    after = {url: count_queries(client, url) for url in urls}
    assert after == before
    for url in urls:
        with django_assert_max_num_queries(8):
            client.get(url)
