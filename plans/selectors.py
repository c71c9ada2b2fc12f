"""Reads of plans that depend on who is asking: the public sees every plan
that is not a draft, and drafts answer 404 from here."""

from django.db.models import Avg, Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from commitments import progress
from commitments.models import Commitment, Milestone
from monitoring.models import MonitoringBody

from .models import ActionPlan, Jurisdiction


def plan_list_public() -> QuerySet[ActionPlan]:
    """Public plans, current ones first, each with its computed progress."""
    return (
        ActionPlan.objects.published()
        .select_related("jurisdiction")
        .annotate(
            progress=Avg("commitments__progress", filter=Q(commitments__is_published=True)),
            commitment_count=Count("commitments", filter=Q(commitments__is_published=True)),
        )
        .order_by("-period_end", "title")
    )


def plan_get_public(*, slug: str) -> ActionPlan:
    """A public plan with everything its page shows, else 404."""
    queryset = plan_list_public().prefetch_related(
        "lead_institutions", "endorsements", "participation_figures"
    )
    return get_object_or_404(queryset, slug=slug)


def plan_monitoring_body(*, plan: ActionPlan):
    """The plan's monitoring body with its composition, or None."""
    return MonitoringBody.objects.filter(plan=plan).prefetch_related("members").first()


def jurisdictions_public() -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.filter(action_plans__in=ActionPlan.objects.published()).distinct()


def jurisdiction_list_public() -> QuerySet[Jurisdiction]:
    """Jurisdictions with a public plan, each with its public plans in `public_plans`."""
    public_plans = ActionPlan.objects.published().order_by("-period_end", "title")
    return jurisdictions_public().prefetch_related(
        Prefetch("action_plans", queryset=public_plans, to_attr="public_plans")
    )


def headline_figures(*, plan: ActionPlan | None = None) -> dict:
    """The home page's figures over all public commitments, or one plan's
    (for its embeddable page)."""
    public = Commitment.objects.published()
    if plan is not None:
        public = public.filter(plan=plan)
    today = progress.today()
    totals = public.aggregate(
        commitments=Count("pk"),
        with_progress=Count("pk", filter=Q(progress__isnull=False)),
        at_risk=Count("pk", filter=Q(progress__lt=1, on_track_until__lt=today)),
        milestones=Sum("milestones_total"),
        milestones_completed=Sum("milestones_completed"),
    )
    with_progress = totals["with_progress"]
    totals["on_track_share"] = (
        (with_progress - totals["at_risk"]) / with_progress if with_progress else None
    )
    totals["milestones"] = totals["milestones"] or 0
    totals["milestones_completed"] = totals["milestones_completed"] or 0
    return totals


def upcoming_deadlines(*, limit: int = 5) -> QuerySet[Milestone]:
    """Next milestone deadlines of public commitments, soonest first."""
    return (
        Milestone.objects.filter(
            commitment__in=Commitment.objects.published(),
            end_date__gte=progress.today(),
        )
        .exclude(status__in=[Milestone.Status.COMPLETED, Milestone.Status.CANCELLED])
        .select_related("commitment")
        .order_by("end_date", "pk")[:limit]
    )
