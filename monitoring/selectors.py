"""Who may see and do what with monitoring reports: the one place that decides.

The rules, per report status:

| action            | draft             | submitted / responded       | published  |
|-------------------|-------------------|-----------------------------|------------|
| view, evidence    | the body's monitors | the body's monitors, staff | everyone   |
| edit, submit      | the body's monitors | nobody                     | nobody     |
| respond           | nobody            | staff who may respond        | nobody     |
| publish           | nobody            | staff who may publish        | nobody     |

A draft belongs to the monitoring body alone: the city sees a report once it
is submitted. Everything a viewer may not see answers 404, the same as what
does not exist, so nobody learns that another plan's report or a draft exists.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from commitments.models import Commitment
from plans.models import ActionPlan

from .models import (
    CommitmentAssessment,
    Evidence,
    MilestoneObservation,
    MonitoringBody,
    Report,
    ReportingPeriod,
    ReportTransition,
)

RESPOND_PERMISSION = "monitoring.respond_report"
PUBLISH_PERMISSION = "monitoring.publish_report"
UNDER_REVIEW = (Report.Status.SUBMITTED, Report.Status.RESPONDED)


def is_city_reviewer(user) -> bool:
    return bool(user.is_authenticated and user.is_staff and user.has_perm(RESPOND_PERMISSION))


def can_publish(user) -> bool:
    return bool(user.is_authenticated and user.is_staff and user.has_perm(PUBLISH_PERMISSION))


def bodies_of_monitor(*, user) -> QuerySet[MonitoringBody]:
    if not user.is_authenticated:
        return MonitoringBody.objects.none()
    return MonitoringBody.objects.filter(accounts=user).select_related("plan")


def _visible_reports(user) -> QuerySet[Report]:
    visible = Q(pk__in=Report.objects.published().values("pk"))
    if user.is_authenticated:
        visible |= Q(body__accounts=user)
        if is_city_reviewer(user):
            visible |= Q(status__in=[*UNDER_REVIEW, Report.Status.PUBLISHED])
    return Report.objects.filter(visible).distinct()


def _with_contents(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.select_related("period__plan__jurisdiction", "body").prefetch_related(
        Prefetch(
            "assessments",
            queryset=CommitmentAssessment.objects.select_related("commitment").prefetch_related(
                Prefetch(
                    "milestone_observations",
                    queryset=MilestoneObservation.objects.select_related("milestone"),
                ),
                "evidence",
            ),
        ),
        Prefetch("evidence", queryset=Evidence.objects.filter(assessment=None)),
        Prefetch("transitions", queryset=ReportTransition.objects.select_related("by")),
    )


def report_get_visible(*, user, pk: int) -> Report:
    return get_object_or_404(_with_contents(_visible_reports(user)), pk=pk)


def report_get_editable(*, user, pk: int) -> Report:
    """A draft of one of this monitor's bodies, else 404."""
    if not user.is_authenticated:
        raise_not_found()
    reports = Report.objects.filter(body__accounts=user, status=Report.Status.DRAFT)
    return get_object_or_404(_with_contents(reports), pk=pk)


def report_get_for_review(*, user, pk: int) -> Report:
    """A submitted report the city may answer, else 404."""
    if not is_city_reviewer(user):
        raise_not_found()
    reports = Report.objects.filter(status__in=UNDER_REVIEW)
    return get_object_or_404(_with_contents(reports), pk=pk)


def report_get_publishable(*, user, pk: int) -> Report:
    if not can_publish(user):
        raise_not_found()
    return get_object_or_404(Report.objects.filter(status__in=UNDER_REVIEW), pk=pk)


def assessment_get_editable(*, report: Report, commitment_pk: int) -> CommitmentAssessment:
    """One commitment's assessment in a draft the caller may edit (see report_get_editable)."""
    return get_object_or_404(
        CommitmentAssessment.objects.select_related("commitment").prefetch_related(
            Prefetch(
                "milestone_observations",
                queryset=MilestoneObservation.objects.select_related("milestone"),
            ),
            "evidence",
        ),
        report=report,
        commitment_id=commitment_pk,
    )


def evidence_get_downloadable(*, user, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.exclude(file="").filter(report__in=_visible_reports(user)), pk=pk
    )


def evidence_get_removable(*, user, pk: int) -> Evidence:
    if not user.is_authenticated:
        raise_not_found()
    return get_object_or_404(
        Evidence.objects.select_related("report", "assessment"),
        pk=pk,
        report__body__accounts=user,
        report__status=Report.Status.DRAFT,
    )


def period_get_for_monitor(*, user, pk: int) -> ReportingPeriod:
    if not user.is_authenticated:
        raise_not_found()
    return get_object_or_404(
        ReportingPeriod.objects.select_related("plan__monitoring_body"),
        pk=pk,
        plan__monitoring_body__accounts=user,
    )


def monitor_dashboard(*, user, today: datetime.date | None = None) -> list[dict]:
    """Per body of this monitor: its periods sorted into overdue, due and submitted."""
    today = today or timezone.localdate()
    periods = ReportingPeriod.objects.order_by("start").prefetch_related(
        Prefetch("reports", queryset=Report.objects.order_by("kind"))
    )
    bodies = bodies_of_monitor(user=user).prefetch_related(
        Prefetch("plan__reporting_periods", queryset=periods)
    )
    dashboard = []
    for body in bodies:
        overdue, due, handed_in = [], [], []
        for period in body.plan.reporting_periods.all():
            if period.has_submitted_report:
                handed_in.append(period)
            elif period.is_overdue(today=today):
                overdue.append(period)
            else:
                due.append(period)
        dashboard.append(
            {"body": body, "overdue": overdue, "due": due, "submitted": handed_in[::-1]}
        )
    return dashboard


def review_queue(*, user, today: datetime.date | None = None) -> dict:
    """What the city has to answer or publish, and which periods are overdue."""
    today = today or timezone.localdate()
    if not is_city_reviewer(user):
        raise_not_found()
    reports = (
        Report.objects.exclude(status=Report.Status.DRAFT)
        .select_related("period__plan", "body")
        .order_by("status", "-submitted_at")
    )
    overdue = (
        ReportingPeriod.objects.without_submitted_report()
        .filter(due_date__lt=today, plan__monitoring_body__isnull=False)
        .select_related("plan__monitoring_body")
        .order_by("due_date")
    )
    return {
        "awaiting_response": [r for r in reports if r.status == Report.Status.SUBMITTED],
        "awaiting_publication": [r for r in reports if r.status == Report.Status.RESPONDED],
        "published": [r for r in reports if r.status == Report.Status.PUBLISHED][:20],
        "overdue_periods": list(overdue),
    }


def reports_public_for_plan(*, plan: ActionPlan) -> QuerySet[Report]:
    return _with_contents(Report.objects.published().filter(period__plan=plan)).order_by(
        "-period__start", "kind"
    )


def assessments_public_for_commitment(*, commitment: Commitment) -> QuerySet:
    """The commitment's assessments in published reports, newest period first."""
    return (
        CommitmentAssessment.objects.filter(
            commitment=commitment, report__in=Report.objects.published()
        )
        .select_related("report__period", "report__body")
        .prefetch_related(
            Prefetch(
                "milestone_observations",
                queryset=MilestoneObservation.objects.select_related("milestone"),
            ),
            "evidence",
        )
        .order_by("-report__period__start", "report__kind")
    )


def public_ratings_latest_first() -> QuerySet[CommitmentAssessment]:
    """Completion ratings in published reports, the most recent report first.

    The one definition of a commitment's "latest monitor rating", for the
    pages (latest_public_ratings) and the open-data export (a subquery).
    """
    return (
        CommitmentAssessment.objects.filter(report__in=Report.objects.published())
        .exclude(completion="")
        .order_by("-report__period__end", "-report__published_at")
    )


def latest_public_ratings(*, commitments) -> dict[int, CommitmentAssessment]:
    """Per commitment id, its assessment in the most recent published report."""
    latest = {}
    assessments = public_ratings_latest_first().filter(commitment__in=commitments)
    for assessment in assessments.select_related("report__period"):
        latest.setdefault(assessment.commitment_id, assessment)
    return latest


def raise_not_found():
    raise Http404


def is_monitor_of(*, user, report: Report) -> bool:
    return bool(user.is_authenticated and report.body.accounts.filter(pk=user.pk).exists())


def account_for_email(*, email: str):
    return get_user_model().objects.filter(email__iexact=email).order_by("pk").first()


def reports_public() -> QuerySet[Report]:
    return _with_contents(Report.objects.published())


def completion_from_progress(progress: float | None) -> str:
    """The IRM completion level that the city's own milestone progress amounts to."""
    if progress is None:
        return ""
    if progress <= 0:
        return Commitment.Completion.NOT_STARTED
    if progress >= 1:
        return Commitment.Completion.COMPLETE
    if progress >= 0.5:
        return Commitment.Completion.SUBSTANTIAL
    return Commitment.Completion.LIMITED


def _side_by_side(commitment: Commitment, assessment: CommitmentAssessment | None) -> dict:
    """The city's progress on a commitment beside the monitor's rating of it."""
    city = completion_from_progress(commitment.progress)
    rated = assessment.completion if assessment else ""
    return {
        "commitment": commitment,
        "assessment": assessment,
        "monitor_completion": assessment.get_completion_display() if assessment else "",
        "city_progress": commitment.progress,
        "city_completion": dict(Commitment.Completion.choices).get(city, ""),
        "disagree": bool(rated and city and rated != city),
    }


def assessment_rows(*, report: Report) -> list[dict]:
    """Each commitment of the report: the monitor's rating beside the city's progress."""
    return [
        _side_by_side(assessment.commitment, assessment) for assessment in report.assessments.all()
    ]


def plan_comparison(*, plan: ActionPlan) -> list[dict]:
    """The plan's public commitments: the city's progress beside the latest monitor rating."""
    commitments = list(Commitment.objects.published().filter(plan=plan).order_by("number"))
    latest = latest_public_ratings(commitments=commitments)
    return [_side_by_side(commitment, latest.get(commitment.pk)) for commitment in commitments]
