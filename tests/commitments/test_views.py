"""Public pages of commitments: the filtered list and the commitment page."""

import datetime
import re

import pytest

from commitments.models import Commitment, Milestone
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    IndicatorFactory,
    MilestoneFactory,
)

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [commitment.identifier for commitment in response.context["commitments"]]


def test_list_filters_by_plan_area_value_and_lead(client, two_plans):
    first = two_plans[0]

    assert listed(client.get("/en/commitments/?plan=plan-a")) == ["AA0001", "AA0002"]
    assert listed(client.get("/en/commitments/?policy_area=transparency")) == ["AA0001"]
    assert listed(client.get("/en/commitments/?plan=plan-a&value=technology")) == ["AA0001"]
    lead = f"/en/commitments/?lead={first.lead_institution.pk}"
    assert listed(client.get(lead)) == ["AA0001"]


def test_list_filters_by_progress_status(client, two_plans):
    assert listed(client.get("/en/commitments/?status=completed")) == ["AA0001"]
    assert listed(client.get("/en/commitments/?status=not_started")) == ["AA0002"]
    assert listed(client.get("/en/commitments/?status=no_milestones")) == ["BB0001"]


def test_list_filters_commitments_at_risk(client):
    # Running 2023-2024 with nothing done: behind schedule once time has passed.
    late = CommitmentFactory(identifier="LA0001")
    MilestoneFactory(commitment=late)
    done = CommitmentFactory(identifier="DO0001", plan=late.plan)
    MilestoneFactory(commitment=done, completed=True)

    assert listed(client.get("/en/commitments/?at_risk=true")) == ["LA0001"]
    assert listed(client.get("/en/commitments/?at_risk=false")) == ["DO0001"]


def test_list_search_finds_words_in_titles_and_identifiers(client, two_plans):
    assert listed(client.get("/en/commitments/?q=participatory")) == ["AA0002"]
    assert listed(client.get("/en/commitments/?q=engagement")) == ["BB0001"]
    assert listed(client.get("/en/commitments/?q=BB0001")) == ["BB0001"]
    assert listed(client.get("/en/commitments/?q=nothing-like-this")) == []


def test_list_search_reads_french_text(client):
    CommitmentFactory(identifier="FR0001", title_en="", title_fr="Plateforme de participation")

    assert listed(client.get("/fr/commitments/?q=plateforme")) == ["FR0001"]


def test_list_sorts_and_keeps_filters_in_the_query_string(client, two_plans):
    response = client.get("/en/commitments/?plan=plan-a&sort=-progress")

    assert listed(response) == ["AA0001", "AA0002"]
    assert listed(client.get("/en/commitments/?plan=plan-a&sort=progress")) == ["AA0002", "AA0001"]
    # The filter form shows the current filters so the page can be shared.
    assert 'value="plan-a" selected' in response.content.decode()


def test_list_paginates_and_links_pages_with_the_filters(client):
    plan = ActionPlanFactory(slug="big")
    CommitmentFactory.create_batch(45, plan=plan)

    response = client.get("/en/commitments/?plan=big")

    assert len(listed(response)) == 20
    assert 'href="?plan=big&amp;page=2"' in response.content.decode()
    assert len(listed(client.get("/en/commitments/?plan=big&page=3"))) == 5


def test_list_hides_unpublished_commitments_and_drafts(client):
    CommitmentFactory(identifier="PU0001")
    CommitmentFactory(identifier="UN0001", is_published=False)
    CommitmentFactory(identifier="DR0001", plan=ActionPlanFactory(draft=True))

    assert listed(client.get("/en/commitments/")) == ["PU0001"]


@pytest.mark.parametrize(
    "query", ["plan=no-such-plan", "value=magic", "status=finished", "sort=password", "lead=abc"]
)
def test_list_answers_400_with_a_message_on_bad_filters(client, query):
    response = client.get(f"/en/commitments/?{query}")

    assert response.status_code == 400
    assert "Some filters could not be used" in response.content.decode()


def test_commitment_page_shows_its_content_milestones_and_indicators(client):
    commitment = CommitmentFactory(
        identifier="GE0067",
        title="Citizen engagement platform",
        problem="Citizens cannot follow decisions.",
        start_date=datetime.date(2018, 9, 1),
        end_date=datetime.date(2099, 12, 31),
    )
    MilestoneFactory(
        commitment=commitment,
        title="Launch the platform",
        completed=True,
        end_date=datetime.date(2019, 3, 1),
    )
    MilestoneFactory(
        commitment=commitment,
        title="Train the staff",
        status=Milestone.Status.IN_PROGRESS,
        end_date=datetime.date(2020, 1, 1),
    )
    IndicatorFactory(commitment=commitment, description="Answers within 24 hours",
                     baseline=0, target=80, current_value=40)  # fmt: skip

    response = client.get("/en/commitments/GE0067/")
    page = re.sub(r"\s+", " ", response.content.decode())

    for expected in [
        "Citizen engagement platform",
        "Problem addressed",
        "Citizens cannot follow decisions.",
        "Launch the platform",
        "Train the staff",
        "Overdue",
        "Answers within 24 hours",
        'value="50"',  # 40 of the way from 0 to 80
        "1 of 2 milestones completed",
    ]:
        assert expected in page, expected


def test_commitment_page_explains_irm_ratings(client):
    CommitmentFactory(identifier="IR0001", irm_verifiable="yes", irm_completion="limited",
                      irm_starred=False)  # fmt: skip

    page = client.get("/en/commitments/IR0001/").content.decode()

    assert "specific enough for anyone to check" in page
    assert "A small part was done." in page
    assert "Starred commitments were" in page


def test_commitment_page_change_log_names_no_staff(client, editor):
    commitment = CommitmentFactory(identifier="CL0001")
    commitment = Commitment.objects.get(pk=commitment.pk)
    commitment._history_user = editor
    commitment.title = "A better title"
    commitment.save()

    response = client.get("/en/commitments/CL0001/")

    changes = response.context["changes"]
    assert changes
    assert editor.username not in response.content.decode()


def test_commitment_page_has_a_qr_code_and_a_poster(client):
    CommitmentFactory(identifier="QR0001")

    page = client.get("/en/commitments/QR0001/").content.decode()
    poster = client.get("/en/commitments/QR0001/poster.svg")

    assert "<svg" in page
    assert "http://testserver/en/commitments/QR0001/" in page
    assert poster["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in poster["Content-Disposition"]
    assert "<svg" in poster.content.decode()


@pytest.mark.parametrize("commitment_kwargs", [{"is_published": False}, {"plan__status": "draft"}])
def test_unpublished_commitment_answers_404_with_its_poster(client, commitment_kwargs):
    CommitmentFactory(identifier="NP0001", **commitment_kwargs)

    assert client.get("/en/commitments/NP0001/").status_code == 404
    assert client.get("/en/commitments/NP0001/poster.svg").status_code == 404
