"""Followers are told when what they follow changes: by email, and by text
message when they gave a phone number and asked for it.

How a change becomes notices:

1. Every save of a milestone, commitment or plan writes a history record
   (django-simple-history). `on_history_record` (connected in
   ConsultationsConfig.ready) queues `notify_history_change` with the
   record's id once the transaction commits: a rolled-back save tells nobody.
   Publishing a monitoring report queues `notify_report_published`
   (monitoring/services.py).
2. The task, in the background, compares the record with the previous one
   of the same object. Only some fields count (a milestone's status and
   dates; a commitment's dates, IRM completion and early results, or its
   publication; a plan's status); and only published subjects are announced.
3. Each follower of the commitment or of its plan gets one Notification,
   keyed by the change ("milestone:<history id>"): the unique constraint on
   (user, change_key) means a follower of both the plan and the commitment,
   or a task that runs twice, tells no one twice.
4. Each follower is told in the language chosen in their profile (the page's
   language when they signed up): the change is described once per language.
"""

import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_tasks import task
from simple_history.signals import post_create_historical_record

from commitments.changelog import display_value, field_changes
from commitments.models import Commitment, Milestone
from ogp_portal.mail import email_send, in_site_language, portal_url
from plans.models import ActionPlan

from . import sms
from .models import Follow, Notification
from .selectors.citizens import notice_language
from .services.citizens import unsubscribe_url

logger = logging.getLogger(__name__)

# The models whose history is watched, and the fields whose change is news.
WATCHED_FIELDS = {
    "commitments.milestone": ("status", "start_date", "end_date", "completion_date"),
    "commitments.commitment": ("start_date", "end_date", "irm_completion", "irm_early_results"),
    "plans.actionplan": ("status",),
}


@dataclass
class Change:
    key: str
    subject: str
    body: str
    url: str


# ---------------------------------------------------------------- the signal


def _has_followers(label: str, instance) -> bool:
    """One query; saves nobody follows (most of them: imports, the demo load,
    progress updates) queue no task at all."""
    if label == "plans.actionplan":
        return Follow.objects.filter(plan_id=instance.pk).exists()
    commitment_id = instance.commitment_id if label == "commitments.milestone" else instance.pk
    plan_ids = Commitment.objects.filter(pk=commitment_id).values("plan_id")
    return Follow.objects.filter(Q(commitment_id=commitment_id) | Q(plan_id__in=plan_ids)).exists()


def on_history_record(sender, instance, history_instance, **kwargs):
    label = instance._meta.label_lower
    if label not in WATCHED_FIELDS or not _has_followers(label, instance):
        return
    history_id = history_instance.pk
    transaction.on_commit(lambda: notify_history_change.enqueue(model=label, history_id=history_id))


def connect() -> None:
    post_create_historical_record.connect(
        on_history_record, dispatch_uid="consultations.notifications.on_history_record"
    )


def notify_report_published_later(report) -> None:
    """Queue the notices of a published monitoring report, once committed."""
    report_id = report.pk
    transaction.on_commit(lambda: notify_report_published.enqueue(report_id=report_id))


# ------------------------------------------------------------------ the tasks


@task()
def notify_history_change(*, model: str, history_id: int) -> int:
    """Tell the followers about one history record's change; returns how
    many notifications were created."""
    Model = apps.get_model(model)
    record = Model.history.filter(pk=history_id).first()
    if record is None or record.history_type == "-":
        return 0
    describe = {
        "commitments.milestone": _milestone_change,
        "commitments.commitment": _commitment_change,
        "plans.actionplan": _plan_change,
    }[model]
    return deliver_in_their_languages(lambda: describe(record))


@task()
def notify_report_published(*, report_id: int) -> int:
    return deliver_in_their_languages(lambda: _report_change(report_id))


def _report_change(report_id: int):
    from monitoring.models import Report

    report = (
        Report.objects.filter(pk=report_id, status=Report.Status.PUBLISHED)
        .select_related("period__plan", "body")
        .first()
    )
    if report is None:
        return None
    plan = report.period.plan
    if not ActionPlan.objects.published().filter(pk=plan.pk).exists():
        return None
    commitments = Commitment.objects.published().filter(plan=plan)
    follows = Follow.objects.filter(plan=plan) | Follow.objects.filter(commitment__in=commitments)
    values = {"plan": plan.title, "report": str(report), "body": report.body.name}
    change = Change(
        key=f"report:{report.pk}",
        subject=_("New monitoring report on %(plan)s") % values,
        body=_(
            "The independent monitoring body (%(body)s) published its report "
            "“%(report)s” on %(plan)s."
        )
        % values,
        url=portal_url(report.get_absolute_url()),
    )
    return change, follows


# ----------------------------------------------------------- what changed


def _commitment_name(commitment) -> str:
    return f"{commitment.identifier} {commitment.short_title or commitment.title}"


def _commitment_follows(commitment):
    return Follow.objects.filter(commitment=commitment) | Follow.objects.filter(
        plan_id=commitment.plan_id
    )


def _milestone_change(record):
    commitment = (
        Commitment.objects.published()
        .filter(pk=record.commitment_id)
        .select_related("plan")
        .first()
    )
    if commitment is None:
        return None
    previous = record.prev_record
    name = _commitment_name(commitment)
    if previous is None:
        text = _("A milestone was added to commitment %(commitment)s: “%(milestone)s”.") % {
            "commitment": name,
            "milestone": record.title,
        }
        lines = [
            _("%(field)s: %(value)s")
            % {
                "field": capfirst(Milestone._meta.get_field(name).verbose_name),
                "value": display_value(Milestone, name, getattr(record, name)),
            }
            for name in ("status", "start_date", "end_date")
        ]
    else:
        lines = field_changes(Milestone, WATCHED_FIELDS["commitments.milestone"], previous, record)
        if not lines:
            return None
        text = _("The milestone “%(milestone)s” of commitment %(commitment)s changed.") % {
            "commitment": name,
            "milestone": record.title,
        }
    change = Change(
        key=f"milestone:{record.pk}",
        subject=_("Update on %(commitment)s") % {"commitment": name},
        body="\n".join([text, "", *lines]),
        url=portal_url(commitment.get_absolute_url()),
    )
    return change, _commitment_follows(commitment)


def _commitment_change(record):
    commitment = Commitment.objects.published().filter(pk=record.id).select_related("plan").first()
    if commitment is None or not record.is_published:
        return None
    previous = record.prev_record
    name = _commitment_name(commitment)
    if previous is None or not previous.is_published:
        body = _("Commitment %(commitment)s is now published.") % {"commitment": name}
    else:
        lines = field_changes(
            Commitment, WATCHED_FIELDS["commitments.commitment"], previous, record
        )
        if not lines:
            return None
        body = "\n".join(
            [_("Commitment %(commitment)s changed.") % {"commitment": name}, "", *lines]
        )
    change = Change(
        key=f"commitment:{record.pk}",
        subject=_("Update on %(commitment)s") % {"commitment": name},
        body=body,
        url=portal_url(commitment.get_absolute_url()),
    )
    return change, _commitment_follows(commitment)


def _plan_change(record):
    plan = ActionPlan.objects.published().filter(pk=record.id).first()
    previous = record.prev_record
    if plan is None or previous is None:
        return None
    lines = field_changes(ActionPlan, WATCHED_FIELDS["plans.actionplan"], previous, record)
    if not lines:
        return None
    body = "\n".join([_("The action plan %(plan)s changed.") % {"plan": plan.title}, "", *lines])
    change = Change(
        key=f"plan:{record.pk}",
        subject=_("Update on %(plan)s") % {"plan": plan.title},
        body=body,
        url=portal_url(plan.get_absolute_url()),
    )
    return change, Follow.objects.filter(plan=plan)


# ----------------------------------------------------------------- sending


def _one_follow_per_user(follows) -> list[Follow]:
    """Each active follower once; the commitment follow is preferred to the
    plan follow, as the more specific one to stop."""
    chosen: dict[int, Follow] = {}
    rows = follows.filter(user__is_active=True).select_related(
        "user", "user__citizen_profile", "plan", "commitment"
    )
    for follow in rows.order_by("pk"):
        current = chosen.get(follow.user_id)
        if current is None or (current.commitment_id is None and follow.commitment_id):
            chosen[follow.user_id] = follow
    return list(chosen.values())


def deliver_in_their_languages(describe) -> int:
    """Tell each follower in the language they chose.

    `describe()` gives the change and who follows it, or None when there is
    nothing to tell; it is called again with each other followers' language active,
    so texts, dates and links come out in that language. Returns how many
    notifications were created."""
    with in_site_language():
        found = describe()
    if found is None:
        return 0
    changes = {settings.LANGUAGE_CODE: found[0]}
    by_language: dict[str, list[Follow]] = {}
    for follow in _one_follow_per_user(found[1]):
        by_language.setdefault(notice_language(follow.user), []).append(follow)
    created_count = 0
    for language, follows in by_language.items():
        with translation.override(language):
            if language not in changes:
                changes[language] = describe()[0]
            created_count += deliver(changes[language], follows)
    return created_count


def deliver(change: Change, follows: list[Follow]) -> int:
    """Create each follower's notification once and send it; returns how many
    were created now. A failure for one follower leaves no notification for
    them (a later run sends it) and does not stop the others."""
    created_count = 0
    for follow in follows:
        try:
            with transaction.atomic():
                notification, created = Notification.objects.get_or_create(
                    user=follow.user,
                    change_key=change.key,
                    defaults={"subject": change.subject[:300], "body": change.body},
                )
                if not created:
                    continue
                _send(notification, follow, change)
                created_count += 1
        except Exception:
            logger.exception("Notification %s to user %s failed", change.key, follow.user_id)
    return created_count


def _send(notification: Notification, follow: Follow, change: Change) -> None:
    user = follow.user
    stop_one = unsubscribe_url(follow=follow)
    stop_all = unsubscribe_url(user_id=user.pk)
    footer = _(
        "You receive this because you follow %(subject)s on %(portal)s.\n"
        "Stop following it: %(stop_one)s\n"
        "Stop all notices: %(stop_all)s"
    ) % {
        "subject": str(
            follow.plan.title if follow.plan_id else _commitment_name(follow.commitment)
        ),
        "portal": settings.PORTAL_NAME,
        "stop_one": stop_one,
        "stop_all": stop_all,
    }
    fields = []
    if user.email:
        email_send.call(
            subject=change.subject,
            body=f"{change.body}\n\n{change.url}\n\n-- \n{footer}\n",
            to=[user.email],
            headers={
                "List-Unsubscribe": f"<{stop_one}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        notification.emailed_at = timezone.now()
        fields.append("emailed_at")
    profile = getattr(user, "citizen_profile", None)
    if profile is not None and profile.phone and profile.sms_notifications:
        try:
            sms.send_sms(profile.phone, f"{change.subject}\n{change.url}")
        except sms.SmsError:
            # The email went out: keep the notification, without texted_at.
            logger.exception("Text message for %s failed", change.key)
        else:
            notification.texted_at = timezone.now()
            fields.append("texted_at")
    if fields:
        notification.save(update_fields=fields)
