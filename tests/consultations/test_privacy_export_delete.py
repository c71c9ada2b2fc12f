"""A citizen downloads everything they wrote, and deletes their account:
what they wrote for the public stays, unsigned; what identifies them goes."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from consultations.models import (
    Ballot,
    CitizenProfile,
    Comment,
    Feedback,
    Follow,
    Notification,
    Proposal,
)
from consultations.selectors.citizens import public_name
from tests.factories import (
    PASSWORD,
    BallotChoiceFactory,
    CitizenProfileFactory,
    CommentFactory,
    CommitmentFactory,
    FeedbackFactory,
    FollowFactory,
    NotificationFactory,
    ProposalFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EXPORT = reverse("accounts:data_export")
DELETE = reverse("accounts:delete")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def citizen():
    profile = CitizenProfileFactory(
        user__email="private-citizen@example.org",
        display_name="Tamar K.",
        phone="+995599111222",
        sms_notifications=True,
    )
    return profile.user


@pytest.fixture
def written(citizen):
    """One of everything the citizen may write, and others' writing around it."""
    commitment = CommitmentFactory()
    comment = CommentFactory(author=citizen, plan=commitment.plan, body="MY-COMMENT")
    proposal = ProposalFactory(author=citizen, body="MY-PROPOSAL")
    choice = BallotChoiceFactory(ballot__voter=citizen, option__title="MY-CHOICE")
    feedback = FeedbackFactory(
        author=citizen,
        name="Tamar Kapanadze",
        email="private-citizen@example.org",
        ip_address="192.0.2.7",
        body="MY-FEEDBACK",
        answer="THE-CITY-ANSWER",
    )
    FollowFactory(user=citizen, commitment=commitment)
    NotificationFactory(user=citizen, subject="MY-NOTICE")
    other = CitizenProfileFactory(
        user__email="other-person@example.org", phone="+995599999999"
    ).user
    CommentFactory(author=other, body="OTHER-COMMENT")
    ProposalFactory(author=other, body="OTHER-PROPOSAL")
    FeedbackFactory(author=other, body="OTHER-FEEDBACK", email="other-person@example.org")
    NotificationFactory(user=other, subject="OTHER-NOTICE")
    return {"comment": comment, "proposal": proposal, "ballot": choice.ballot, "feedback": feedback}


def test_export_page_explains_and_post_downloads_my_data(client_for, citizen, written):
    client = client_for(citizen)

    assert client.get(EXPORT).status_code == 200
    response = client.post(EXPORT)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    text = response.content.decode()
    assert data["account"]["email"] == "private-citizen@example.org"
    assert data["profile"]["display_name"] == "Tamar K."
    assert data["profile"]["phone"] == "+995599111222"
    assert [comment["text"] for comment in data["comments"]] == ["MY-COMMENT"]
    assert [proposal["text"] for proposal in data["proposals"]] == ["MY-PROPOSAL"]
    assert data["ballots"][0]["choices"] == ["MY-CHOICE"]
    assert data["feedback"][0]["text"] == "MY-FEEDBACK"
    assert data["feedback"][0]["answer"] == "THE-CITY-ANSWER"
    assert len(data["follows"]) == 1
    assert [notice["subject"] for notice in data["notifications"]] == ["MY-NOTICE"]
    for secret in ("OTHER-", "other-person@example.org", "+995599999999", "password"):
        assert secret not in text


def test_export_query_count_stays_flat_as_writing_grows(
    client_for, citizen, written, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(citizen)
    with CaptureQueriesContext(connection) as before:
        client.post(EXPORT)
    CommentFactory.create_batch(10, author=citizen)
    ProposalFactory.create_batch(5, author=citizen)
    BallotChoiceFactory.create_batch(3, ballot__voter=citizen)

    with django_assert_max_num_queries(len(before)):
        client.post(EXPORT)


def test_delete_page_explains_what_happens(client_for, citizen):
    page = client_for(citizen).get(DELETE)

    assert page.status_code == 200
    assert "Former participant" in page.content.decode()


def test_delete_with_a_wrong_password_keeps_the_account(client_for, citizen):
    response = client_for(citizen).post(DELETE, {"password": "not-it"})

    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=citizen.pk).exists()


def test_delete_keeps_comments_unsigned_and_removes_email_and_phone_everywhere(
    client_for, citizen, written
):
    client = client_for(citizen)
    user_id = citizen.pk
    comment, proposal, ballot, feedback = (
        written[name] for name in ("comment", "proposal", "ballot", "feedback")
    )

    response = client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert not get_user_model().objects.filter(email__iexact="private-citizen@example.org").exists()
    assert not CitizenProfile.objects.filter(user_id=user_id).exists()
    assert not CitizenProfile.objects.filter(phone="+995599111222").exists()
    assert not Follow.objects.filter(user_id=user_id).exists()
    assert not Notification.objects.filter(user_id=user_id).exists()

    comment = Comment.objects.get(pk=comment.pk)
    assert comment.author is None
    assert comment.body == "MY-COMMENT"
    assert public_name(comment.author) == "Former participant"
    assert Proposal.objects.get(pk=proposal.pk).author is None
    assert Ballot.objects.get(pk=ballot.pk).voter is None
    assert ballot.choices.count() == 1  # still counted

    feedback = Feedback.objects.get(pk=feedback.pk)
    assert (feedback.author, feedback.name, feedback.email, feedback.ip_address) == (
        None,
        "",
        "",
        None,
    )
    assert feedback.body == "MY-FEEDBACK"
    assert not Feedback.history.filter(email="private-citizen@example.org").exists()
    assert not Feedback.history.filter(name="Tamar Kapanadze").exists()
    assert not Feedback.history.filter(ip_address="192.0.2.7").exists()
    for model in (Comment, Proposal, Feedback):
        assert not model.history.filter(author_id=user_id).exists()
        assert not model.history.filter(history_user_id=user_id).exists()


def test_comment_page_shows_a_deleted_authors_comment_as_former_participant(
    client, client_for, citizen, written
):
    client_for(citizen).post(DELETE, {"password": PASSWORD})

    page = client.get(written["comment"].plan.get_absolute_url()).content.decode()

    assert "Tamar K." not in page


def test_staff_accounts_are_not_deleted_from_the_site(client_for):
    staff = UserFactory(is_staff=True)

    response = client_for(staff).post(DELETE, {"password": PASSWORD})

    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=staff.pk).exists()
