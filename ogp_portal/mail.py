"""Email leaves in the background, never in the request.

A request that needs to tell someone something calls `email_send_later`; the
message is queued when the request's transaction commits (so a rolled-back
change sends nothing) and a worker (`manage.py db_worker`) sends it.
"""

from django.core.mail import EmailMessage
from django.db import transaction
from django_tasks import task


@task()
def email_send(*, subject: str, body: str, to: list[str], reply_to: list[str] | None = None):
    """Send one plain-text email; one per recipient keeps addresses private."""
    sent = 0
    for address in to:
        message = EmailMessage(subject=subject, body=body, to=[address], reply_to=reply_to)
        sent += message.send()
    return sent


def email_send_later(*, subject: str, body: str, to: list[str], reply_to=None) -> None:
    transaction.on_commit(
        lambda: email_send.enqueue(
            subject=str(subject), body=str(body), to=list(to), reply_to=reply_to
        )  # fmt: skip
    )
