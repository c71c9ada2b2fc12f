"""Reads of the co-creation record that depend on who is asking: the public
sees the meetings of public plans only, and the consultations that are
published on public plans (for the API and the feeds)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from consultations.models import (
    Ballot,
    Consultation,
    ConsultationSection,
    Meeting,
    MeetingParticipation,
    Proposal,
    VoteOption,
)
from plans.models import ActionPlan, Sector


def meeting_list_public() -> QuerySet[Meeting]:
    """Meetings of public plans, latest first, with their participation by sector."""
    return (
        Meeting.objects.filter(plan__in=ActionPlan.objects.published())
        .select_related("plan")
        .prefetch_related("participation")
        .order_by("-date", "-start_time", "pk")
    )


def plan_get_for_cocreation(*, slug: str) -> ActionPlan:
    """A public plan, with its reported participation figures, else 404."""
    plans = ActionPlan.objects.published().prefetch_related("participation_figures")
    return get_object_or_404(plans, slug=slug)


def plan_meetings_public(*, plan: ActionPlan, today: datetime.date | None = None) -> dict:
    """The plan's meetings with everything the co-creation page shows: those
    from today on (in the site's time zone) soonest first, and the others as
    a queryset, latest first, for the page to paginate."""
    today = today or timezone.localdate()
    meetings = Meeting.objects.filter(plan=plan).prefetch_related("participation", "documents")
    return {
        "upcoming": list(meetings.filter(date__gte=today).order_by("date", "start_time", "pk")),
        "past": meetings.filter(date__lt=today).order_by("-date", "-start_time", "-pk"),
    }


# --- Participation figures -----------------------------------------------------------------


@dataclass(frozen=True)
class PlanParticipation:
    """A plan's participation figures, and where they come from.

    `source` is COMPUTED when the plan's meetings record who took part (the
    figures are their sums), else REPORTED (the totals staff entered from the
    plan, such as Regueb's 456). Rows are dicts: sector, sector_label, label
    (the plan's own wording, reported figures only) and count.
    """

    COMPUTED = "computed"
    REPORTED = "reported"

    source: str
    rows: list[dict] = field(default_factory=list)
    groups_count: int | None = None
    meetings_count: int | None = None

    @property
    def is_computed(self) -> bool:
        return self.source == self.COMPUTED

    @property
    def has_figures(self) -> bool:
        return bool(self.rows) or self.groups_count is not None or self.meetings_count is not None

    @property
    def total(self) -> int | None:
        return sum(row["count"] for row in self.rows) if self.rows else None

    @property
    def max_count(self) -> int:
        return max((row["count"] for row in self.rows), default=0)


def plan_participation(plan: ActionPlan) -> PlanParticipation:
    """The one source of the plan's participation figures, for every page.

    Computed from the meetings that record participation where there are
    any; otherwise as reported in the plan (ParticipationFigure rows and the
    plan's group and meeting counts). Two queries at most, whatever the data
    (the reported figures are read from `participation_figures`, which the
    plan selectors prefetch)."""
    labels = dict(Sector.choices)
    sums = (
        MeetingParticipation.objects.filter(meeting__plan=plan)
        .values("sector")
        .annotate(total=Sum("count"))
        .order_by("-total", "sector")
    )
    rows = [
        {
            "sector": row["sector"],
            "sector_label": labels.get(row["sector"], row["sector"]),
            "label": "",
            "count": row["total"],
        }
        for row in sums
    ]
    if rows:
        recorded = Meeting.objects.filter(plan=plan).filter(
            Exists(MeetingParticipation.objects.filter(meeting=OuterRef("pk")))
        )
        counts = recorded.aggregate(meetings=Count("pk"), groups=Sum("groups_count"))
        return PlanParticipation(
            source=PlanParticipation.COMPUTED,
            rows=rows,
            groups_count=counts["groups"],
            meetings_count=counts["meetings"],
        )
    return PlanParticipation(
        source=PlanParticipation.REPORTED,
        rows=[
            {
                "sector": figure.sector,
                "sector_label": figure.get_sector_display(),
                "label": figure.label,
                "count": figure.count,
            }
            for figure in plan.participation_figures.all()
        ],
        groups_count=plan.groups_count,
        meetings_count=plan.public_meetings_count,
    )


# --- Consultations in the open data (API, feeds, calendar) -----------------------------------


def consultation_list_open_data() -> QuerySet[Consultation]:
    """Published consultations of public plans, latest opening first, with
    their sections, options (each with its `votes`), proposal counts per
    status (`proposals_<status>`) and `ballots_count`. Nothing about who
    took part: whether vote counts may be shown is the caller's to check
    (Consultation.results_are_public)."""
    ballots = (
        Ballot.objects.filter(consultation=OuterRef("pk"))
        .order_by()
        .values("consultation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    proposal_counts = {
        f"proposals_{status}": Count("proposals", filter=Q(proposals__status=status))
        for status in Proposal.Status.values
    }
    return (
        Consultation.objects.published()
        .select_related("plan")
        .prefetch_related(
            Prefetch("sections", queryset=ConsultationSection.objects.order_by("order", "pk")),
            Prefetch(
                "options",
                queryset=VoteOption.objects.annotate(votes=Count("choices")).order_by(
                    "order", "pk"
                ),
            ),
        )
        .annotate(
            **proposal_counts,
            ballots_count=Coalesce(Subquery(ballots, output_field=IntegerField()), 0),
        )
        .order_by("-opens_at", "pk")
    )


def consultations_published() -> QuerySet[Consultation]:
    """Published consultations of public plans, soonest opening first (the calendar's)."""
    return Consultation.objects.published().select_related("plan").order_by("opens_at", "pk")


def consultations_opened(*, now: datetime.datetime | None = None) -> QuerySet[Consultation]:
    """Published consultations of public plans that have opened, latest first (the feeds')."""
    return (
        consultations_published()
        .filter(opens_at__lte=now or timezone.now())
        .order_by("-opens_at", "-pk")
    )
