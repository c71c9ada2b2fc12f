"""Comments through the public pages: writing, replying, reporting, what
the public sees of moderated comments, and the limits against floods."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment, CommentFlag, Consultation
from consultations.services import comments as services
from tests.factories import (
    MODERATORS,
    ActionPlanFactory,
    CitizenFactory,
    CommentFactory,
    CommitmentFactory,
    ConsultationFactory,
    ConsultationSectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NEW = "/en/comments/new/"
PLANTED_EMAIL = "planted.author@example.org"


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and cached pages live in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def author(db):
    return CitizenFactory(email=PLANTED_EMAIL, profile__display_name="Nino B.")


@pytest.fixture
def author_client(client_for, author):
    return client_for(author)


@pytest.fixture
def plan(db):
    return ActionPlanFactory()


@pytest.fixture
def commitment(plan):
    return CommitmentFactory(plan=plan)


def page(client, subject):
    response = client.get(subject.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- writing


def test_citizen_comment_on_a_commitment_is_published_and_shown_with_the_public_name_only(
    author_client, commitment
):
    response = author_client.post(
        NEW, {"commitment": commitment.pk, "body": "Please publish the tender documents."}
    )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{commitment.get_absolute_url()}#comment-{comment.pk}"
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.commitment == commitment
    assert comment.plan == commitment.plan
    html = page(author_client, commitment)
    assert "Please publish the tender documents." in html
    assert "Nino B." in html
    assert PLANTED_EMAIL not in html
    assert "Comments (1)" in html


def test_authors_email_never_appears_on_the_public_pages(client, author, plan, commitment):
    CommentFactory(plan=plan, author=author, body="On the plan.")
    CommentFactory(plan=plan, commitment=commitment, author=author, body="On the commitment.")

    for subject in (plan, commitment):
        html = page(client, subject)
        assert PLANTED_EMAIL not in html
        assert author.username not in html
        assert "Nino B." in html


def test_signed_in_citizen_sees_the_form_and_anonymous_visitor_a_login_link(
    client, author_client, commitment
):
    anonymous_html = page(client, commitment)
    citizen_html = page(author_client, commitment)

    assert "csrfmiddlewaretoken" not in anonymous_html
    assert "Log in to comment" in anonymous_html
    assert f"{reverse('accounts:login')}?next=" in anonymous_html
    assert 'name="body"' in citizen_html
    assert 'name="website"' in citizen_html  # the honeypot


def test_signed_in_account_without_a_citizen_profile_gets_an_explanation(client_for, commitment):
    html = page(client_for(UserFactory()), commitment)

    assert 'name="body"' not in html
    assert "confirmed email address" in html


def test_empty_comment_is_refused_with_a_message(author_client, commitment):
    response = author_client.post(NEW, {"commitment": commitment.pk, "body": "   "})

    assert response.status_code == 400
    assert "Write your comment." in response.content.decode()
    assert not Comment.objects.exists()


def test_too_long_comment_is_refused_and_the_text_kept(author_client, commitment):
    body = "x" * (Comment._meta.get_field("body").max_length + 1)

    response = author_client.post(NEW, {"commitment": commitment.pk, "body": body})

    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 5000 characters" in html
    assert body in html
    assert not Comment.objects.exists()


def test_filled_honeypot_is_refused_and_nothing_stored(author_client, commitment):
    response = author_client.post(
        NEW, {"commitment": commitment.pk, "body": "Buy now", "website": "http://spam.example"}
    )

    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "subject",
    ["draft_plan", "unpublished_commitment", "unpublished_consultation", "missing"],
)
def test_comment_on_a_subject_the_public_cannot_see_answers_404(author_client, subject):
    params = {
        "draft_plan": lambda: {"plan": ActionPlanFactory(draft=True).pk},
        "unpublished_commitment": lambda: {"commitment": CommitmentFactory(is_published=False).pk},
        "unpublished_consultation": lambda: {
            "consultation": ConsultationFactory(is_published=False).pk
        },
        "missing": lambda: {"commitment": 999999},
    }[subject]()

    response = author_client.post(NEW, {**params, "body": "Hello"})

    assert response.status_code == 404
    assert author_client.get(NEW, params).status_code == 404
    assert not Comment.objects.exists()


def test_commitment_of_a_draft_plan_refuses_comments(author_client):
    commitment = CommitmentFactory(plan=ActionPlanFactory(draft=True))

    response = author_client.post(NEW, {"commitment": commitment.pk, "body": "Hello"})

    assert response.status_code == 404


def test_comment_on_a_closed_consultation_is_refused_with_400(author_client):
    consultation = ConsultationFactory(
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )

    response = author_client.post(
        NEW, {"consultation": consultation.pk, "body": "Too late, but here it is."}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "This consultation is closed." in html
    assert "Too late, but here it is." in html
    assert not Comment.objects.exists()


def test_anonymous_post_on_a_plan_is_sent_to_login_and_stores_nothing(client, plan):
    response = client.post(NEW, {"plan": plan.pk, "body": "Hello"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Comment.objects.exists()


# ---------------------------------------------------------------- replies


def test_reply_to_a_reply_is_attached_to_the_top_level_comment(author_client, commitment):
    top = CommentFactory(plan=commitment.plan, commitment=commitment)
    reply = CommentFactory(plan=commitment.plan, commitment=commitment, parent=top)

    response = author_client.post(
        NEW, {"commitment": commitment.pk, "parent": reply.pk, "body": "I agree with both."}
    )

    assert response.status_code == 302
    new = Comment.objects.get(body="I agree with both.")
    assert new.parent == top


def test_reply_page_without_javascript_shows_the_comment_answered(author_client, commitment):
    top = CommentFactory(plan=commitment.plan, commitment=commitment, body="What budget?")

    response = author_client.get(NEW, {"commitment": commitment.pk, "parent": top.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert "What budget?" in html
    assert f'name="parent" value="{top.pk}"' in html


def test_reply_to_a_comment_of_another_subject_is_refused(author_client, plan, commitment):
    elsewhere = CommentFactory(plan=plan)  # on the plan, not the commitment

    response = author_client.post(
        NEW, {"commitment": commitment.pk, "parent": elsewhere.pk, "body": "Hello"}
    )

    assert response.status_code == 404
    assert Comment.objects.count() == 1


def test_reply_to_a_hidden_comment_is_refused(author_client, commitment, moderator):
    top = CommentFactory(plan=commitment.plan, commitment=commitment)
    services.comment_hide(comment=top, by=moderator, reason="Insults")

    response = author_client.post(
        NEW, {"commitment": commitment.pk, "parent": top.pk, "body": "Hello"}
    )

    assert response.status_code == 404


# ---------------------------------------------------------------- moderation


def test_hidden_comment_is_gone_from_plan_commitment_and_consultation_pages(
    client, author, plan, commitment, moderator
):
    consultation = ConsultationFactory(plan=plan)
    hidden = [
        CommentFactory(plan=plan, author=author, body="Hidden on the plan"),
        CommentFactory(plan=plan, commitment=commitment, author=author, body="Hidden on it"),
        CommentFactory(
            plan=plan, consultation=consultation, author=author, body="Hidden on consultation"
        ),
    ]
    for comment in hidden:
        services.comment_hide(comment=comment, by=moderator, reason="Personal data")

    for subject, comment in zip((plan, commitment, consultation), hidden, strict=True):
        html = page(client, subject)
        assert comment.body not in html
        assert "Nino B." not in html
        assert "Personal data" not in html  # no replies: nothing at all in its place
        assert "Comments (0)" in html


def test_hidden_comment_with_replies_shows_the_reason_in_its_place(
    client, author, commitment, moderator
):
    top = CommentFactory(plan=commitment.plan, commitment=commitment, author=author,
                         body="Rude words here")  # fmt: skip
    CommentFactory(plan=commitment.plan, commitment=commitment, parent=top, body="Calm reply")
    services.comment_hide(comment=top, by=moderator, reason="Insults")

    html = page(client, commitment)

    assert "Rude words here" not in html
    assert "Nino B." not in html
    assert "This comment was hidden by a moderator: Insults" in html
    assert "Calm reply" in html
    assert "Comments (1)" in html


def test_pre_moderated_comment_waits_and_only_its_author_sees_it(
    client, author_client, plan, moderator
):
    consultation = ConsultationFactory(plan=plan, moderation=Consultation.Moderation.PRE)

    response = author_client.post(
        NEW, {"consultation": consultation.pk, "body": "Add a budget section."}
    )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.status == Comment.Status.PENDING
    assert "Add a budget section." not in page(client, consultation)
    own = page(author_client, consultation)
    assert "Add a budget section." in own
    assert "Awaiting moderation" in own

    services.comment_publish(comment=comment, by=moderator)

    assert "Add a budget section." in page(client, consultation)


def test_anonymous_comment_is_refused_where_not_allowed(client, plan):
    consultation = ConsultationFactory(plan=plan, allow_anonymous_comments=False)

    response = client.post(NEW, {"consultation": consultation.pk, "body": "Hello"})

    assert response.status_code == 302  # to the login page
    assert not Comment.objects.exists()
    assert "Comment without an account" not in page(client, consultation)


def test_anonymous_comment_where_allowed_is_pending_and_keeps_no_author(
    client, plan, moderator, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(plan=plan, allow_anonymous_comments=True)
    section = ConsultationSectionFactory(consultation=consultation)
    assert "Comment without an account" in page(client, consultation)
    form_page = client.get(NEW, {"consultation": consultation.pk, "section": section.pk})
    assert form_page.status_code == 200
    assert 'name="body"' in form_page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            NEW,
            {"consultation": consultation.pk, "section": section.pk, "body": "No account here."},
        )

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.is_anonymous
    assert comment.author is None
    assert comment.status == Comment.Status.PENDING
    assert comment.section == section
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert "No account here." not in page(client, section)


# ---------------------------------------------------------------- abuse reports


def test_anonymous_abuse_report_is_stored_and_moderators_are_emailed(
    client, commitment, django_capture_on_commit_callbacks
):
    UserFactory(email="mod@example.org", is_staff=True, groups=[MODERATORS])
    comment = CommentFactory(plan=commitment.plan, commitment=commitment)
    form_page = client.get(f"/en/comments/{comment.pk}/report/")
    assert form_page.status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/comments/{comment.pk}/report/",
            {"reason": "abuse", "details": "Insults a neighbour"},
        )

    assert response.status_code == 302
    assert response["Location"] == f"{commitment.get_absolute_url()}#comment-{comment.pk}"
    flag = CommentFlag.objects.get()
    assert flag.reason == CommentFlag.Reason.ABUSE
    assert flag.reporter is None
    assert [message.to for message in mail.outbox] == [["mod@example.org"]]
    assert "/admin/consultations/comment/" in mail.outbox[0].body


def test_abuse_report_without_a_reason_is_refused(client, commitment):
    comment = CommentFactory(plan=commitment.plan, commitment=commitment)

    response = client.post(f"/en/comments/{comment.pk}/report/", {"details": "?"})

    assert response.status_code == 400
    assert not CommentFlag.objects.exists()


def test_abuse_report_with_the_honeypot_filled_is_refused(client, commitment):
    comment = CommentFactory(plan=commitment.plan, commitment=commitment)

    response = client.post(f"/en/comments/{comment.pk}/report/", {"reason": "spam", "website": "x"})

    assert response.status_code == 400
    assert not CommentFlag.objects.exists()


def test_hidden_comment_cannot_be_reported(client, commitment, moderator):
    comment = CommentFactory(plan=commitment.plan, commitment=commitment)
    services.comment_hide(comment=comment, by=moderator, reason="Spam")

    assert client.get(f"/en/comments/{comment.pk}/report/").status_code == 404


# ---------------------------------------------------------------- floods


@override_settings(PARTICIPATION_RATE_PER_ACCOUNT="3/m")
def test_comment_flood_from_one_account_is_cut_off(author_client, commitment):
    answers = [
        author_client.post(NEW, {"commitment": commitment.pk, "body": f"Comment {n}"}).status_code
        for n in range(4)
    ]

    assert answers == [302, 302, 302, 429]
    assert Comment.objects.count() == 3


@override_settings(PARTICIPATION_RATE_PER_ACCOUNT="3/m", PARTICIPATION_RATE_PER_ADDRESS="3/m")
def test_anonymous_comment_flood_from_one_address_is_cut_off(client, plan):
    consultation = ConsultationFactory(plan=plan, allow_anonymous_comments=True)

    answers = [
        client.post(NEW, {"consultation": consultation.pk, "body": f"Comment {n}"}).status_code
        for n in range(4)
    ]

    assert answers == [302, 302, 302, 429]
    assert Comment.objects.count() == 3


@override_settings(PARTICIPATION_RATE_PER_ADDRESS="3/m")
def test_flood_from_several_accounts_at_one_address_is_cut_off(client_for, commitment):
    clients = [client_for(CitizenFactory()) for _ in range(4)]

    answers = [
        c.post(NEW, {"commitment": commitment.pk, "body": "Same address"}).status_code
        for c in clients
    ]

    assert answers == [302, 302, 302, 429]
    assert Comment.objects.count() == 3


@override_settings(PARTICIPATION_RATE_PER_ACCOUNT="3/m")
def test_abuse_report_flood_is_cut_off(client, commitment):
    comment = CommentFactory(plan=commitment.plan, commitment=commitment)

    answers = [
        client.post(f"/en/comments/{comment.pk}/report/", {"reason": "spam"}).status_code
        for _ in range(4)
    ]

    assert answers == [302, 302, 302, 429]
    assert CommentFlag.objects.count() == 3


# ---------------------------------------------------------------- query counts


def test_commitment_page_query_count_stays_flat_as_comments_grow(
    client, author_client, commitment, django_assert_max_num_queries
):
    def queries(c):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert c.get(commitment.get_absolute_url()).status_code == 200
        return len(captured)

    CommentFactory(plan=commitment.plan, commitment=commitment)
    before = {"anonymous": queries(client), "citizen": queries(author_client)}

    for _ in range(10):
        top = CommentFactory(plan=commitment.plan, commitment=commitment)
        CommentFactory.create_batch(2, plan=commitment.plan, commitment=commitment, parent=top)
    after = {"anonymous": queries(client), "citizen": queries(author_client)}

    assert after == before
    with django_assert_max_num_queries(before["anonymous"]):
        client.get(commitment.get_absolute_url())


def test_comment_form_help_text_is_in_the_visitors_language(author_client, commitment):
    page = author_client.get(f"/ar/commitments/{commitment.identifier}/").content.decode()

    assert 'id="comment_body"' in page
    assert "Shown with your public name" not in page
