"""Email leaves in the background, never in the request.

A request that needs to tell someone something calls `email_send_later`; the
message is queued when the request's transaction commits (so a rolled-back
change sends nothing) and a worker (`manage.py db_worker`) sends it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django_tasks import task


def portal_url(path: str) -> str:
    """An absolute link for an email: from PORTAL_BASE_URL, since emails are
    written without a request (and never from a request's Host header)."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def in_site_language():
    """Write staff notices in the site's language, not in the language of the
    page the citizen who caused them was on."""
    return translation.override(settings.LANGUAGE_CODE)


def staff_emails(permission: str) -> list[str]:
    """The addresses of active staff who hold `app_label.codename`, directly,
    through a group, or as superusers: who hears of work waiting for them."""
    from django.contrib.auth.models import Permission

    app_label, codename = permission.split(".")
    held = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    users = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(user_permissions__in=held) | Q(groups__permissions__in=held),
        is_active=True,
        is_staff=True,
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


@task()
def email_send(
    *,
    subject: str,
    body: str,
    to: list[str],
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
):
    """Send one plain-text email; one per recipient keeps addresses private."""
    sent = 0
    for address in to:
        message = EmailMessage(
            subject=subject, body=body, to=[address], reply_to=reply_to, headers=headers
        )
        sent += message.send()
    return sent


def email_send_later(
    *, subject: str, body: str, to: list[str], reply_to=None, headers=None
) -> None:
    transaction.on_commit(
        lambda: email_send.enqueue(
            subject=str(subject), body=str(body), to=list(to), reply_to=reply_to, headers=headers
        )  # fmt: skip
    )
