"""The staff queue: answering feedback in the admin, and the answer service."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from consultations.models import Feedback
from consultations.selectors.feedback import feedback_reference
from consultations.services.feedback import feedback_answer
from tests.factories import CommitmentFactory, FeedbackFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:consultations_feedback_changelist")


def change_url(feedback):
    return reverse("admin:consultations_feedback_change", args=[feedback.pk])


def answer_in_admin(client, feedback, answer):
    return client.post(change_url(feedback), {"answer": answer, "_save": "Save"})


def test_feedback_answered_in_the_admin_is_dated_and_emailed_to_the_sender(
    moderator_client, moderator, django_capture_on_commit_callbacks
):
    feedback = FeedbackFactory(email="nino@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = answer_in_admin(moderator_client, feedback, "The portal opens in May.")

    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.answer == "The portal opens in May."
    assert feedback.answered_at is not None
    assert feedback.answered_by == moderator
    assert [message.to for message in mail.outbox] == [["nino@example.org"]]
    assert "The portal opens in May." in mail.outbox[0].body
    assert feedback.history.count() == 2


def test_answer_is_emailed_in_the_language_the_sender_wrote_from(
    moderator_client, django_capture_on_commit_callbacks
):
    feedback = FeedbackFactory(email="nino@example.org", language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        answer_in_admin(moderator_client, feedback, "Le portail ouvre en mai.")

    with translation.override("fr"):
        expected_subject = gettext("Answer to your feedback %(reference)s") % {
            "reference": feedback_reference(feedback)
        }
        our_answer = gettext("Our answer:")
    assert expected_subject.startswith("Réponse")
    assert mail.outbox[0].subject == expected_subject
    assert our_answer in mail.outbox[0].body


def test_anonymous_feedback_answered_in_the_admin_emails_no_one(
    moderator_client, django_capture_on_commit_callbacks
):
    feedback = FeedbackFactory(is_anonymous=True, name="", email="", ip_address=None)

    with django_capture_on_commit_callbacks(execute=True):
        response = answer_in_admin(moderator_client, feedback, "We have opened an inquiry.")

    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.answered_at is not None
    assert mail.outbox == []


def test_feedback_answered_again_keeps_the_first_answer_time(moderator):
    feedback = FeedbackFactory()
    first = feedback_answer(feedback=feedback, answer="Opens in May.", by=moderator)

    later = timezone.now() + datetime.timedelta(hours=3)
    second = feedback_answer(feedback=feedback, answer="Opens on 5 May.", by=moderator, now=later)

    assert second.answer == "Opens on 5 May."
    assert second.answered_at == first.answered_at


def test_feedback_empty_answer_is_refused(moderator):
    feedback = FeedbackFactory()

    with pytest.raises(ValidationError):
        feedback_answer(feedback=feedback, answer="  ", by=moderator)

    feedback.refresh_from_db()
    assert feedback.answered_at is None


def test_feedback_answered_answer_cannot_be_emptied_in_the_admin(moderator_client, moderator):
    feedback = FeedbackFactory()
    feedback_answer(feedback=feedback, answer="Opens in May.", by=moderator)

    response = answer_in_admin(moderator_client, feedback, "")

    assert response.status_code == 200
    assert "Write the answer." in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.answer == "Opens in May."


def test_feedback_queue_lists_unanswered_first_by_due_time_with_overdue_flag(
    moderator_client, moderator
):
    now = timezone.now()
    answered = FeedbackFactory(body="Answered one", due_at=now - datetime.timedelta(days=3))
    feedback_answer(feedback=answered, answer="Done.", by=moderator)
    later = FeedbackFactory(body="Due later", due_at=now + datetime.timedelta(hours=5))
    overdue = FeedbackFactory(body="Overdue one", due_at=now - datetime.timedelta(hours=1))

    response = moderator_client.get(QUEUE)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [overdue, later, answered]
    page = response.content.decode()
    assert "Overdue" in page
    # Senders' addresses are shown only on an item's own page.
    assert overdue.email not in page


def test_feedback_queue_filters_overdue_items(moderator_client):
    now = timezone.now()
    FeedbackFactory(due_at=now + datetime.timedelta(hours=5))
    overdue = FeedbackFactory(due_at=now - datetime.timedelta(hours=1))

    response = moderator_client.get(QUEUE, {"overdue": "yes"})

    assert list(response.context["cl"].result_list) == [overdue]


def test_feedback_queue_finds_an_item_by_its_reference(moderator_client):
    FeedbackFactory()
    wanted = FeedbackFactory(commitment=CommitmentFactory())

    response = moderator_client.get(QUEUE, {"q": f"F-{wanted.pk:06d}"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_feedback_change_page_shows_the_sender_to_staff_but_not_editable(moderator_client):
    feedback = FeedbackFactory(email="nino@example.org", ip_address="203.0.113.7")

    page = moderator_client.get(change_url(feedback)).content.decode()

    assert "nino@example.org" in page
    assert "203.0.113.7" in page
    assert 'name="email"' not in page
    assert 'name="answer"' in page


def test_feedback_cannot_be_added_in_the_admin(superuser_client):
    response = superuser_client.get(reverse("admin:consultations_feedback_add"))

    assert response.status_code == 403
    assert Feedback.objects.count() == 0
