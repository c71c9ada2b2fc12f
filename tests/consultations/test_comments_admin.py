"""Moderators at work in the admin: the queue, publishing, hiding with a
reason, and abuse reports."""

import pytest
from django.urls import reverse

from consultations.models import Comment, CommentFlag
from tests.factories import CitizenFactory, CommentFactory, CommentFlagFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:consultations_comment_changelist"


def test_moderator_sees_the_queue_with_public_names_not_emails(moderator_client):
    author = CitizenFactory(email="hidden.address@example.org", profile__display_name="Lela")
    CommentFactory(author=author, status=Comment.Status.PENDING, body="Waiting here")
    CommentFactory(body="Already out")

    response = moderator_client.get(reverse(CHANGELIST), {"queue": "pending"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Waiting here" in html
    assert "Already out" not in html
    assert "Lela" in html
    assert "hidden.address@example.org" not in html


def test_moderator_publishes_pending_comments_with_the_action(moderator_client, moderator):
    comments = CommentFactory.create_batch(2, status=Comment.Status.PENDING)

    response = moderator_client.post(
        reverse(CHANGELIST),
        {"action": "publish_selected", "_selected_action": [c.pk for c in comments]},
    )

    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {Comment.Status.PUBLISHED}
    assert set(Comment.objects.values_list("moderated_by", flat=True)) == {moderator.pk}


def test_hide_action_asks_for_a_reason_before_hiding(moderator_client):
    comment = CommentFactory()
    selected = {"action": "hide_selected", "_selected_action": [comment.pk]}

    asked = moderator_client.post(reverse(CHANGELIST), selected)
    refused = moderator_client.post(reverse(CHANGELIST), {**selected, "confirm": "yes"})
    comment.refresh_from_db()
    assert asked.status_code == 200
    assert 'name="reason"' in asked.content.decode()
    assert refused.status_code == 200
    assert "Give the reason" in refused.content.decode()
    assert comment.status == Comment.Status.PUBLISHED

    done = moderator_client.post(
        reverse(CHANGELIST), {**selected, "confirm": "yes", "reason": "Advertising"}
    )

    comment.refresh_from_db()
    assert done.status_code == 302
    assert comment.status == Comment.Status.HIDDEN
    assert comment.hidden_reason == "Advertising"


def test_change_form_refuses_hiding_without_a_reason(moderator_client):
    comment = CommentFactory()
    url = reverse("admin:consultations_comment_change", args=[comment.pk])

    refused = moderator_client.post(url, {"status": "hidden", "hidden_reason": ""})
    accepted = moderator_client.post(url, {"status": "hidden", "hidden_reason": "Off topic"})

    assert refused.status_code == 200
    assert "Give the reason" in refused.content.decode()
    assert accepted.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN
    assert comment.moderated_by is not None


def test_editor_reads_comments_but_cannot_moderate(editor_client):
    comment = CommentFactory(status=Comment.Status.PENDING)

    listed = editor_client.get(reverse(CHANGELIST))
    editor_client.post(
        reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": [comment.pk]}
    )

    comment.refresh_from_db()
    assert listed.status_code == 200
    assert "publish_selected" not in listed.content.decode()
    assert comment.status == Comment.Status.PENDING


def test_moderator_marks_reports_resolved(moderator_client):
    flag = CommentFlagFactory()

    response = moderator_client.post(
        reverse("admin:consultations_commentflag_changelist"),
        {"action": "mark_resolved", "_selected_action": [flag.pk]},
    )

    flag.refresh_from_db()
    assert response.status_code == 302
    assert flag.resolved_at is not None
    assert CommentFlag.objects.filter(resolved_at__isnull=True).count() == 0
