"""Email goes through the background queue, after the transaction commits."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from ogp_portal.mail import email_send_later

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


# The worker runs outside any transaction, as in production: it closes a
# connection left in a transaction (a test's own, on PostgreSQL).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_email_waits_for_the_worker_then_goes_to_each_recipient_separately():
    with override_settings(TASKS=DATABASE_QUEUE):
        with transaction.atomic():
            email_send_later(
                subject="Report submitted", body="A report is waiting.", to=["a@example.org",
                                                                            "b@example.org"],
            )  # fmt: skip
        assert mail.outbox == []  # queued, not sent in the request

        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert mail.outbox[0].subject == "Report submitted"


def test_email_of_a_rolled_back_change_is_never_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                email_send_later(subject="Saved", body="Saved.", to=["a@example.org"])
                raise RuntimeError("the save failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert mail.outbox == []
