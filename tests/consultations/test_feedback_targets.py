"""`manage.py check_feedback_targets`: one notice per newly overdue item."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from consultations.models import Feedback
from tests.factories import FeedbackFactory

pytestmark = pytest.mark.django_db


def run_check(django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("check_feedback_targets", stdout=out)
    return out.getvalue()


@override_settings(FEEDBACK_NOTIFY_EMAILS=["feedback@city.example"])
def test_check_feedback_targets_notifies_once_per_overdue_item(
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    first = FeedbackFactory(body="First late one", due_at=now - datetime.timedelta(hours=2))
    FeedbackFactory(body="Second late one", due_at=now - datetime.timedelta(minutes=1))
    FeedbackFactory(body="Not yet due", due_at=now + datetime.timedelta(hours=3))
    FeedbackFactory(
        body="Answered late",
        due_at=now - datetime.timedelta(hours=5),
        answered_at=now - datetime.timedelta(hours=1),
        answer="Sorry for the wait.",
    )

    output = run_check(django_capture_on_commit_callbacks)

    assert output.startswith("2 newly overdue")
    assert len(mail.outbox) == 2
    assert {message.to[0] for message in mail.outbox} == {"feedback@city.example"}
    assert any("First late one" in message.body for message in mail.outbox)
    first.refresh_from_db()
    assert first.overdue_notice_sent_at is not None

    output = run_check(django_capture_on_commit_callbacks)

    assert output.startswith("0 newly overdue")
    assert "2 overdue and unanswered" in output
    assert len(mail.outbox) == 2


def test_check_feedback_targets_tells_the_staff_who_may_answer(
    moderator, editor, superuser, django_capture_on_commit_callbacks
):
    FeedbackFactory(due_at=timezone.now() - datetime.timedelta(hours=1))

    run_check(django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [moderator.email, superuser.email]
    )


def test_check_feedback_targets_names_no_sender_of_anonymous_feedback(
    moderator, django_capture_on_commit_callbacks
):
    FeedbackFactory(
        is_anonymous=True,
        name="",
        email="",
        ip_address=None,
        due_at=timezone.now() - datetime.timedelta(hours=1),
    )

    run_check(django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert "Sent anonymously" in message.body
    assert Feedback.objects.filter(overdue_notice_sent_at__isnull=False).count() == 1
