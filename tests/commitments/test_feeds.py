"""A commitment's RSS and Atom feeds: its public changes from the history,
parsed as a feed reader would (feedparser); nothing from before it was
public, and never who made a change."""

import datetime

import pytest

from commitments.feeds import public_changes
from commitments.models import Commitment, Milestone
from plans.models import ActionPlan
from tests.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory, UserFactory
from tests.feeds import parse_feed, save_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment_with_history(editor):
    commitment = CommitmentFactory(identifier="GE0067", title="Citizen engagement platform")
    milestone = MilestoneFactory(commitment=commitment, title="Launch the platform")
    save_as(editor, milestone, status=Milestone.Status.IN_PROGRESS)
    save_as(editor, commitment, objective="Answer every application within 24 hours.")
    return commitment


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_commitment_feed_lists_its_changes_newest_first(client, commitment_with_history, kind):
    feed = parse_feed(client, f"/en/commitments/GE0067/changes.{kind}")

    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "GE0067 updated: Citizen engagement platform",
        "GE0067, milestone updated: Launch the platform",
        "GE0067, milestone added: Launch the platform",
        "GE0067 added: Citizen engagement platform",
    ]
    assert feed.entries[0].summary == "Main objective updated"
    assert feed.entries[1].summary == "Status: Not started → In progress"
    assert feed.entries[0].link == "http://testserver/en/commitments/GE0067/"
    assert len({entry.id for entry in feed.entries}) == 4
    assert feed.feed.link == "http://testserver/en/commitments/GE0067/"


def test_commitment_feed_never_names_who_made_a_change(client, commitment_with_history, editor):
    for kind in ["rss", "atom"]:
        text = client.get(f"/en/commitments/GE0067/changes.{kind}").content.decode()
        assert editor.username not in text
        assert editor.email not in text
        assert "OGP Local" in text or kind == "rss"  # Atom's author is the portal


def test_commitment_feed_comes_in_the_page_language(client):
    CommitmentFactory(identifier="GE0067", title_en="Open budget", title_fr="Budget ouvert")

    feed = parse_feed(client, "/fr/commitments/GE0067/changes.atom")

    assert feed.feed.language == "fr"
    assert "Budget ouvert" in feed.entries[0].title
    assert feed.entries[0].link == "http://testserver/fr/commitments/GE0067/"


def test_unpublished_commitment_has_no_feed(client):
    CommitmentFactory(identifier="PV0001", is_published=False)
    CommitmentFactory(identifier="DR0001", plan=ActionPlanFactory(draft=True))

    for identifier in ["PV0001", "DR0001"]:
        assert client.get(f"/en/commitments/{identifier}/changes.rss").status_code == 404
        assert client.get(f"/en/commitments/{identifier}/changes.atom").status_code == 404


def test_changes_before_publication_stay_out_of_the_feed(client, editor):
    commitment = CommitmentFactory(
        identifier="GE0067", title="Working title, do not publish", is_published=False
    )
    MilestoneFactory(commitment=commitment, title="Internal milestone draft")
    save_as(editor, commitment, title="Citizen engagement platform", is_published=True)

    feed = parse_feed(client, "/en/commitments/GE0067/changes.rss")
    text = client.get("/en/commitments/GE0067/changes.rss").content.decode()

    assert [entry.title for entry in feed.entries] == [
        "GE0067 published: Citizen engagement platform"
    ]
    assert "Working title" not in text
    assert "Internal milestone draft" not in text


def test_changes_while_the_plan_was_a_draft_stay_out_of_the_feed(client, editor):
    plan = ActionPlanFactory(draft=True)
    commitment = CommitmentFactory(plan=plan, identifier="GE0067", title="Early title")
    save_as(editor, commitment, title="Citizen engagement platform")
    save_as(editor, plan, status=ActionPlan.Status.PUBLISHED)
    save_as(editor, commitment, end_date=datetime.date(2025, 6, 30))

    feed = parse_feed(client, "/en/commitments/GE0067/changes.rss")

    assert [entry.summary for entry in feed.entries] == ["End date: 2024-12-31 → 2025-06-30"]
    assert "Early title" not in client.get("/en/commitments/GE0067/changes.rss").content.decode()


def test_public_changes_run_a_constant_number_of_queries(django_assert_max_num_queries):
    plan = ActionPlanFactory()
    editor = UserFactory()
    for _ in range(12):
        commitment = CommitmentFactory(plan=plan)
        milestone = MilestoneFactory(commitment=commitment)
        save_as(editor, milestone, status=Milestone.Status.IN_PROGRESS)
        save_as(editor, commitment, objective="Changed.")

    with django_assert_max_num_queries(10):
        changes = public_changes(
            plans=ActionPlan.objects.published(), commitments=Commitment.objects.published()
        )
    assert len(changes) == 30
    assert changes == sorted(changes, key=lambda change: change.when, reverse=True)
