"""The moderation rules of services.comments, called directly."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations.models import Comment, Consultation
from consultations.selectors.comments import comment_thread_public
from consultations.services import comments as services
from tests.factories import (
    ActionPlanFactory,
    CitizenFactory,
    CommentFactory,
    CommentFlagFactory,
    CommitmentFactory,
    ConsultationFactory,
    ConsultationSectionFactory,
)

pytestmark = pytest.mark.django_db


def test_comment_on_a_plan_is_post_moderated():
    plan = ActionPlanFactory()

    comment = services.comment_create(subject=plan, author=CitizenFactory(), body=" Hello ")

    assert comment.status == Comment.Status.PUBLISHED
    assert comment.body == "Hello"
    assert (comment.commitment, comment.consultation, comment.section) == (None, None, None)


def test_comment_on_a_section_of_a_pre_moderated_consultation_waits(
    moderator, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(moderation=Consultation.Moderation.PRE)
    section = ConsultationSectionFactory(consultation=consultation)

    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(subject=section, author=CitizenFactory(), body="Hi")

    assert comment.status == Comment.Status.PENDING
    assert (comment.plan_id, comment.consultation_id) == (consultation.plan_id, consultation.pk)
    assert [message.to for message in mail.outbox] == [[moderator.email]]


def test_anonymous_comment_on_a_commitment_is_refused():
    with pytest.raises(ValidationError):
        services.comment_create(subject=CommitmentFactory(), body="Hi", anonymous=True)

    assert not Comment.objects.exists()


def test_anonymous_comment_drops_any_author_given():
    consultation = ConsultationFactory(allow_anonymous_comments=True)

    comment = services.comment_create(
        subject=consultation, author=CitizenFactory(), body="Hi", anonymous=True
    )

    assert comment.author is None
    assert comment.is_anonymous
    assert comment.status == Comment.Status.PENDING


def test_comment_before_the_consultation_opens_is_refused():
    consultation = ConsultationFactory(
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=8),
    )

    with pytest.raises(ValidationError, match="not open yet"):
        services.comment_create(subject=consultation, author=CitizenFactory(), body="Hi")


def test_reply_to_a_reply_attaches_to_the_thread_top():
    commitment = CommitmentFactory()
    top = CommentFactory(plan=commitment.plan, commitment=commitment)
    reply = CommentFactory(plan=commitment.plan, commitment=commitment, parent=top)

    new = services.comment_create(
        subject=commitment, author=CitizenFactory(), body="Me too", parent=reply
    )

    assert new.parent == top


def test_reply_on_another_subject_is_refused():
    commitment = CommitmentFactory()
    other = CommentFactory(plan=commitment.plan)

    with pytest.raises(ValidationError):
        services.comment_create(
            subject=commitment, author=CitizenFactory(), body="Hi", parent=other
        )


def test_hide_needs_a_reason(moderator):
    comment = CommentFactory()

    with pytest.raises(ValidationError):
        services.comment_hide(comment=comment, by=moderator, reason="  ")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


def test_hide_records_the_moderator_resolves_reports_and_writes_the_security_log(
    moderator, caplog, django_capture_on_commit_callbacks
):
    comment = CommentFactory()
    flag = CommentFlagFactory(comment=comment)

    with (
        caplog.at_level(logging.INFO, logger="security"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.comment_hide(comment=comment, by=moderator, reason="Spam")

    comment.refresh_from_db()
    flag.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN
    assert comment.hidden_reason == "Spam"
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None
    assert flag.resolved_at is not None
    record = next(r for r in caplog.records if r.getMessage() == "comment_hidden")
    assert record.security["comment_id"] == comment.pk
    assert record.security["actor"] == moderator.username


def test_publish_restores_a_hidden_comment_without_its_reason(moderator):
    comment = CommentFactory()
    services.comment_hide(comment=comment, by=moderator, reason="Spam")

    services.comment_publish(comment=comment, by=moderator)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.hidden_reason == ""


def test_thread_shows_pending_comments_to_their_author_only(moderator):
    plan = ActionPlanFactory()
    author, stranger = CitizenFactory(), CitizenFactory()
    CommentFactory(plan=plan, author=author, status=Comment.Status.PENDING)

    assert len(comment_thread_public(plan, viewer=author).comments) == 1
    assert comment_thread_public(plan, viewer=stranger).comments == []
    assert comment_thread_public(plan, viewer=None).total == 0


def test_thread_of_a_plan_leaves_out_comments_on_its_commitments():
    commitment = CommitmentFactory()
    CommentFactory(plan=commitment.plan, commitment=commitment)

    assert comment_thread_public(commitment.plan).comments == []
    assert len(comment_thread_public(commitment).comments) == 1
