"""Writes of feedback: receiving it, answering it, and telling staff when an
item goes past its due time.

Anonymity is enforced here as well as in the form and the database: an
anonymous item keeps no name, email, address or account, and the staff
notice names no sender."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ogp_portal.mail import email_send_later, in_site_language, portal_url

from ..models import Feedback
from ..selectors.feedback import feedback_reference, feedback_staff_emails


def _admin_url(feedback: Feedback) -> str:
    return portal_url(reverse("admin:consultations_feedback_change", args=[feedback.pk]))


def _subject_line(feedback: Feedback) -> str:
    if feedback.commitment_id:
        return _("Commitment %(identifier)s") % {"identifier": feedback.commitment.identifier}
    if feedback.plan_id:
        return str(feedback.plan)
    return _("General")


def _local(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return f"{local:%Y-%m-%d %H:%M} ({settings.TIME_ZONE})"


def _staff_notice_body(feedback: Feedback, *, intro: str) -> str:
    if feedback.is_anonymous:
        sender = _("Sent anonymously: no name, email or address is kept; no answer can be sent.")
    else:
        # The sender's address is not written here: staff find it in the admin.
        sender = _("From: %(name)s") % {"name": feedback.name or _("(no name given)")}
    lines = [
        intro,
        "",
        _("Reference: %(reference)s") % {"reference": feedback_reference(feedback)},
        _("Category: %(category)s") % {"category": feedback.get_category_display()},
        _("About: %(subject)s") % {"subject": _subject_line(feedback)},
        _("Received: %(time)s") % {"time": _local(feedback.submitted_at)},
        _("Answer due: %(time)s") % {"time": _local(feedback.due_at)},
        sender,
        "",
        feedback.body,
        "",
        _("Answer it here: %(url)s") % {"url": _admin_url(feedback)},
    ]
    return "\n".join(lines)


@transaction.atomic
def feedback_submit(
    *,
    category: str,
    body: str,
    name: str = "",
    email: str = "",
    is_anonymous: bool = False,
    author=None,
    ip_address: str | None = None,
    commitment=None,
    plan=None,
    language: str = settings.LANGUAGE_CODE,
    now: datetime.datetime | None = None,
) -> Feedback:
    """Store feedback with its due time, and tell the staff who answer it."""
    submitted_at = now or timezone.now()
    if is_anonymous:
        name, email, ip_address, author = "", "", None, None
    if commitment is not None and plan is None:
        plan = commitment.plan
    feedback = Feedback(
        category=category,
        body=body,
        name=name,
        email=email,
        is_anonymous=is_anonymous,
        author=author,
        ip_address=ip_address,
        commitment=commitment,
        plan=plan,
        language=language,
        submitted_at=submitted_at,
        due_at=submitted_at + datetime.timedelta(hours=settings.FEEDBACK_RESPONSE_HOURS),
    )
    feedback.full_clean()
    feedback.save()
    recipients = feedback_staff_emails()
    if recipients:
        _notify_staff_of_new(feedback, recipients)
    return feedback


def _notify_staff_of_new(feedback: Feedback, recipients: list[str]) -> None:
    with in_site_language():
        email_send_later(
            subject=_("New feedback %(reference)s: %(category)s")
            % {
                "reference": feedback_reference(feedback),
                "category": feedback.get_category_display(),
            },
            body=_staff_notice_body(feedback, intro=_("New feedback has been received.")),
            to=recipients,
        )


@transaction.atomic
def feedback_answer(*, feedback: Feedback, answer: str, by, now=None) -> Feedback:
    """Answer an item and email the answer to the sender, if they gave an address.

    Answering again corrects the text (and emails the corrected answer) but
    keeps the first answer's time and author: the response time counts from
    the first answer. The history keeps every version."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if locked.answer == answer and locked.answered_at is not None:
        return locked
    locked.answer = answer
    if locked.answered_at is None:
        locked.answered_at = now or timezone.now()
        locked.answered_by = by
    locked.full_clean()
    locked.save()
    if locked.email and not locked.is_anonymous:
        _send_answer(locked)
    return locked


def _send_answer(feedback: Feedback) -> None:
    """The answer, to the sender, in the language they wrote from."""
    with translation.override(feedback.language):
        email_send_later(
            subject=_("Answer to your feedback %(reference)s")
            % {"reference": feedback_reference(feedback)},
            body="\n".join(
                [
                    _("You wrote to us on %(time)s:") % {"time": _local(feedback.submitted_at)},
                    "",
                    feedback.body,
                    "",
                    _("Our answer:"),
                    "",
                    feedback.answer,
                ]
            ),
            to=[feedback.email],
        )


def feedback_notify_overdue(*, now=None) -> int:
    """Tell the answering staff once about each item newly past its due time.

    Idempotent: an item whose notice was sent is skipped, and the mark is
    set with a conditional update, so two runs at once send one notice."""
    now = now or timezone.now()
    recipients = feedback_staff_emails()
    notified = 0
    overdue = (
        Feedback.objects.overdue(now=now)
        .filter(overdue_notice_sent_at__isnull=True)
        .select_related("plan", "commitment")
    )
    for feedback in overdue:
        with transaction.atomic():
            claimed = Feedback.objects.filter(
                pk=feedback.pk, overdue_notice_sent_at__isnull=True
            ).update(overdue_notice_sent_at=now)
            if not claimed:
                continue
            notified += 1
            if recipients:
                email_send_later(
                    subject=_("Overdue feedback %(reference)s")
                    % {"reference": feedback_reference(feedback)},
                    body=_staff_notice_body(
                        feedback, intro=_("This feedback is past its answer time.")
                    ),
                    to=recipients,
                )
    return notified
