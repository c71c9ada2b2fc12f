"""Every write of the monitoring workflow.

Each service runs in one transaction: it checks the report's status under a
row lock, so two clicks on "submit" (or a monitor and staff at once) move a
report once and record one transition. Whoever is on the other side is told
by email after the transaction commits (ogp_portal.mail).
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.notifications import notify_report_published_later
from ogp_portal.mail import email_send_later, in_site_language, portal_url, staff_emails
from ogp_portal.page_cache import bump_content_generation
from ogp_portal.security_log import log_event
from plans.models import ActionPlan

from . import evidence as evidence_checks
from . import selectors
from .models import (
    CommitmentAssessment,
    Evidence,
    MilestoneObservation,
    MonitoringBody,
    MonitorInvitation,
    Report,
    ReportingPeriod,
    ReportTransition,
)

INVITATION_SALT = "monitoring.invitation"


class WorkflowError(Exception):
    """A transition the report's current status does not allow."""


# Periods


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_quarter(day: datetime.date) -> datetime.date:
    month = day.month + 3
    return datetime.date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def quarters_between(start: datetime.date, end: datetime.date):
    """Calendar quarters covering start..end, clipped to them."""
    quarter = _quarter_start(start)
    while quarter <= end:
        following = _next_quarter(quarter)
        yield max(quarter, start), min(following - datetime.timedelta(days=1), end)
        quarter = following


@transaction.atomic
def reporting_periods_generate(*, plan: ActionPlan) -> list[ReportingPeriod]:
    """Create the plan's quarterly periods that do not exist yet; returns the new ones."""
    due_after = datetime.timedelta(days=settings.MONITORING_REPORT_DUE_DAYS)
    created = []
    for start, end in quarters_between(plan.period_start, plan.period_end):
        period, was_created = ReportingPeriod.objects.get_or_create(
            plan=plan, start=start, end=end, defaults={"due_date": end + due_after}
        )
        if was_created:
            created.append(period)
    return created


@transaction.atomic
def reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Tell monitors of reports due soon, and monitors and the city of overdue ones.

    Run daily (README, "Periodic commands"); each period gets each message once.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=settings.MONITORING_REMINDER_DAYS)
    # Locked, so that two overlapping runs cannot both send a message.
    open_periods = (
        ReportingPeriod.objects.select_for_update()
        .without_submitted_report()
        .filter(plan__monitoring_body__isnull=False)
        .select_related("plan__monitoring_body")
    )
    sent = {"reminders": 0, "overdue": 0}
    for period in open_periods.filter(
        reminder_sent_at=None, due_date__gte=today, due_date__lte=soon
    ):
        _tell_period(
            period,
            subject=gettext_lazy("Monitoring report due on %(due)s: %(plan)s"),
            body=gettext_lazy(
                "The monitoring body's report on %(plan)s for %(period)s is due on %(due)s.\n\n"
                "Write it here: %(link)s"
            ),
            city=False,
        )
        period.reminder_sent_at = timezone.now()
        period.save(update_fields=["reminder_sent_at"])
        sent["reminders"] += 1
    for period in open_periods.filter(overdue_notice_sent_at=None, due_date__lt=today):
        _tell_period(
            period,
            subject=gettext_lazy("Monitoring report overdue since %(due)s: %(plan)s"),
            body=gettext_lazy(
                "The monitoring body's report on %(plan)s for %(period)s was due on %(due)s "
                "and has not been submitted.\n\n%(link)s"
            ),
            city=True,
        )
        period.overdue_notice_sent_at = timezone.now()
        period.save(update_fields=["overdue_notice_sent_at"])
        sent["overdue"] += 1
    return sent


def _tell_period(period: ReportingPeriod, *, subject, body, city: bool) -> None:
    monitors = list(
        period.plan.monitoring_body.accounts.exclude(email="").values_list("email", flat=True)
    )
    recipients = monitors + (_city_recipients() if city else [])
    if not recipients:
        return
    with in_site_language():
        values = {
            "plan": period.plan.title,
            "period": str(period),
            "due": date_format(period.due_date, "DATE_FORMAT"),
            "link": portal_url(reverse("monitoring:dashboard")),
        }
        email_send_later(
            subject=str(subject) % values,
            body=str(body) % values,
            to=list(dict.fromkeys(recipients)),
        )


# Reports


@transaction.atomic
def report_start(*, period: ReportingPeriod, kind: str, by) -> Report:
    """The report of this kind for the period: the existing one, or a new draft
    with an assessment per published commitment and an observation per milestone."""
    report, created = Report.objects.get_or_create(
        period=period,
        kind=kind,
        defaults={"body": period.plan.monitoring_body, "created_by": by},
    )
    if created:
        commitments = period.plan.commitments.filter(is_published=True).prefetch_related(
            "milestones"
        )
        for commitment in commitments:
            assessment = CommitmentAssessment.objects.create(report=report, commitment=commitment)
            MilestoneObservation.objects.bulk_create(
                MilestoneObservation(assessment=assessment, milestone=milestone)
                for milestone in commitment.milestones.all()
            )
    return report


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _move(report: Report, *, to: str, by, allowed_from: tuple[str, ...]) -> Report:
    locked = _lock(report)
    if locked.status not in allowed_from:
        raise WorkflowError(locked.status)
    now = timezone.now()
    ReportTransition.objects.create(
        report=locked, from_status=locked.status, to_status=to, by=by, at=now
    )
    locked.status = to
    stamp = {
        Report.Status.SUBMITTED: "submitted_at",
        Report.Status.RESPONDED: "responded_at",
        Report.Status.PUBLISHED: "published_at",
    }[to]
    setattr(locked, stamp, now)
    locked.save(update_fields=["status", stamp, "updated_at"])
    return locked


@transaction.atomic
def report_save_findings(*, report: Report, overall_findings: str, by) -> Report:
    locked = _lock(report)
    if locked.status != Report.Status.DRAFT:
        raise WorkflowError(locked.status)
    locked.overall_findings = overall_findings
    locked.save(update_fields=["overall_findings", "updated_at"])
    return locked


@transaction.atomic
def assessment_save(
    *, assessment: CommitmentAssessment, values: dict, observed: dict[int, str], by
) -> CommitmentAssessment:
    """Save the monitor's assessment of one commitment and the milestones' observed status."""
    if _lock(assessment.report).status != Report.Status.DRAFT:
        raise WorkflowError(assessment.report.status)
    for field in ("completion", "narrative", "challenges", "recommendations"):
        setattr(assessment, field, values.get(field, ""))
    assessment.full_clean()
    assessment.save()
    for observation in assessment.milestone_observations.all():
        if observation.milestone_id in observed:
            observation.observed_status = observed[observation.milestone_id]
            observation.full_clean()
            observation.save(update_fields=["observed_status"])
    return assessment


@transaction.atomic
def evidence_add(
    *,
    report: Report,
    assessment: CommitmentAssessment | None,
    title: str,
    url: str = "",
    uploaded=None,
    by,
) -> Evidence:
    """Attach a link or a checked file; a refused file stores nothing."""
    if _lock(report).status != Report.Status.DRAFT:
        raise WorkflowError(report.status)
    if assessment is not None and assessment.report_id != report.pk:
        raise ValidationError(_("This commitment is not part of the report."))
    if bool(url) == bool(uploaded):
        raise ValidationError(_("Give either a link or a file."))
    evidence = Evidence(report=report, assessment=assessment, title=title, url=url, uploaded_by=by)
    if uploaded is not None:
        evidence.content_type = evidence_checks.evidence_file_check(uploaded)
        evidence.original_name = uploaded.name[:255]
        evidence.size = uploaded.size
        evidence.file = uploaded
    # Every check runs before the save, the only step that stores the file.
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by) -> None:
    if _lock(evidence.report).status != Report.Status.DRAFT:
        raise WorkflowError(evidence.report.status)
    if evidence.file:
        name, storage = evidence.file.name, evidence.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    evidence.delete()


@transaction.atomic
def report_submit(*, report: Report, by) -> Report:
    """Hand the draft to the city. Submitting twice moves it once."""
    submitted = _move(
        report, to=Report.Status.SUBMITTED, by=by, allowed_from=(Report.Status.DRAFT,)
    )
    log_event("monitoring.report_submitted", actor=by, report=submitted.pk)
    _tell_city(
        submitted,
        subject=gettext_lazy("Monitoring report submitted: %(plan)s"),
        body=gettext_lazy(
            "The monitoring body %(body)s submitted its report “%(report)s” on %(plan)s.\n\n"
            "Read it and respond: %(link)s"
        ),
        link=reverse("monitoring:review_report", args=[submitted.pk]),
    )
    return submitted


@transaction.atomic
def report_respond(
    *, report: Report, overall_response: str, responses: dict[int, str], by
) -> Report:
    """Record the city's answers. The monitor's own text is never touched here."""
    locked = _lock(report)
    if locked.status not in selectors.UNDER_REVIEW:
        raise WorkflowError(locked.status)
    locked.city_response = overall_response
    locked.save(update_fields=["city_response", "updated_at"])
    for assessment in CommitmentAssessment.objects.filter(report=locked):
        if assessment.pk in responses:
            assessment.city_response = responses[assessment.pk]
            assessment.save(update_fields=["city_response"])
    if locked.status == Report.Status.SUBMITTED:
        locked = _move(
            locked, to=Report.Status.RESPONDED, by=by, allowed_from=(Report.Status.SUBMITTED,)
        )
        _tell_monitors(
            locked,
            subject=gettext_lazy("The city responded to your report: %(plan)s"),
            body=gettext_lazy(
                "The city responded to the report “%(report)s” of %(body)s on %(plan)s.\n\n"
                "Read the response: %(link)s"
            ),
        )
    return locked


@transaction.atomic
def report_publish(*, report: Report, by) -> Report:
    published = _move(
        report, to=Report.Status.PUBLISHED, by=by, allowed_from=selectors.UNDER_REVIEW
    )
    # Reports are not cached content until now (MonitoringConfig.public_models).
    transaction.on_commit(bump_content_generation)
    log_event("publication", actor=by, model="monitoring.report", object_id=published.pk)
    # Followers of the plan and its commitments hear of it (in the background).
    notify_report_published_later(published)
    _tell_monitors(
        published,
        subject=gettext_lazy("Your report is published: %(plan)s"),
        body=gettext_lazy(
            "The report “%(report)s” of %(body)s on %(plan)s is now public.\n\n%(link)s"
        ),
        link=published.get_absolute_url(),
    )
    return published


def _message(report: Report, subject, body, link: str) -> tuple[str, str]:
    values = {
        "plan": report.period.plan.title,
        "body": report.body.name,
        "report": str(report),
        "link": portal_url(link),
    }
    return str(subject) % values, str(body) % values


def _city_recipients() -> list[str]:
    return settings.MONITORING_NOTIFY_EMAILS or staff_emails("monitoring.respond_report")


def _tell_city(report: Report, *, subject, body, link: str) -> None:
    recipients = _city_recipients()
    if recipients:
        with in_site_language():
            subject_text, body_text = _message(report, subject, body, link)
        email_send_later(subject=subject_text, body=body_text, to=recipients)


def _tell_monitors(report: Report, *, subject, body, link: str | None = None) -> None:
    recipients = list(report.body.accounts.exclude(email="").values_list("email", flat=True))
    if recipients:
        with in_site_language():
            subject_text, body_text = _message(
                report, subject, body, link or reverse("monitoring:report_detail", args=[report.pk])
            )
        email_send_later(subject=subject_text, body=body_text, to=recipients)


# Invitations


def invitation_token(invitation: MonitorInvitation) -> str:
    return signing.dumps({"id": invitation.pk, "email": invitation.email}, salt=INVITATION_SALT)


class InvitationInvalid(Exception):
    pass


def invitation_from_token(token: str) -> MonitorInvitation:
    """The pending invitation the token names; expired, used or forged links fail."""
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.MONITOR_INVITATION_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise InvitationInvalid(
            _("This invitation has expired. Ask the city for a new one.")
        ) from error
    except signing.BadSignature as error:
        raise InvitationInvalid(_("This invitation link is not valid.")) from error
    invitation = (
        MonitorInvitation.objects.select_related("body__plan")
        .filter(pk=data.get("id"), email=data.get("email"), accepted_at=None)
        .first()
    )
    if invitation is None:
        raise InvitationInvalid(_("This invitation has already been used or withdrawn."))
    return invitation


@transaction.atomic
def monitor_invite(*, body: MonitoringBody, email: str, by) -> MonitorInvitation:
    invitation = MonitorInvitation.objects.create(body=body, email=email, invited_by=by)
    link = portal_url(reverse("monitoring:invitation_accept", args=[invitation_token(invitation)]))
    days = settings.MONITOR_INVITATION_MAX_AGE // 86400
    with in_site_language():
        subject = _("You are invited to file monitoring reports for %(plan)s") % {
            "plan": body.plan.title
        }
        text = _(
            "%(inviter)s invites you to join %(body)s on the %(portal)s portal, to file the "
            "monitoring body's reports on %(plan)s.\n\n"
            "Choose your password here (the link works for %(days)s days, once):\n%(link)s"
        ) % {
            "inviter": by.get_full_name() or by.get_username(),
            "body": body.name,
            "portal": settings.PORTAL_NAME,
            "plan": body.plan.title,
            "days": days,
            "link": link,
        }
    email_send_later(subject=subject, body=text, to=[email])
    log_event("monitoring.invitation_sent", actor=by, body=body.pk, invitation=invitation.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: MonitorInvitation, user=None, password: str = "", name=""):
    """Join the body: as the signed-in account, or as a new account with this password."""
    invitation = MonitorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationInvalid(_("This invitation has already been used or withdrawn."))
    if user is None:
        User = get_user_model()
        first, _space, last = name.strip().partition(" ")
        user = User(username=invitation.email, email=invitation.email)
        user.first_name, user.last_name = first[:150], last[:150]
        user.set_password(password)
        user.full_clean()
        user.save()
    monitors, _created = Group.objects.get_or_create(name="Monitors")
    user.groups.add(monitors)
    invitation.body.accounts.add(user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    log_event("monitoring.invitation_accepted", actor=user, body=invitation.body_id)
    return user
