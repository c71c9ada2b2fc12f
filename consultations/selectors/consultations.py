"""Reads of consultations that depend on who is asking.

The public sees published consultations of public plans, with their
sections, proposals (every status, each with its public reason) and vote
options. Staff who may view consultations in the admin also preview
unpublished ones. Everything else answers 404 from here, the same as a
consultation that does not exist.
"""

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from consultations.models import (
    Ballot,
    Comment,
    Consultation,
    ConsultationSection,
    Proposal,
    VoteOption,
)
from plans.models import ActionPlan

# Phases of a consultation, in the order the list shows them.
OPEN, UPCOMING, CLOSED = 0, 1, 2
PREVIEW_PERMISSION = "consultations.view_consultation"


def _visible_to(user) -> QuerySet[Consultation]:
    if user is not None and user.is_authenticated and user.has_perm(PREVIEW_PERMISSION):
        return Consultation.objects.all()
    return Consultation.objects.published()


def consultation_list_public(*, plan_slug: str | None = None) -> QuerySet[Consultation]:
    """Published consultations of public plans, open ones first, then upcoming,
    then closed; each with its `phase` (OPEN, UPCOMING or CLOSED)."""
    now = timezone.now()
    consultations = Consultation.objects.published()
    if plan_slug:
        consultations = consultations.filter(plan__slug=plan_slug)
    return (
        consultations.select_related("plan")
        .annotate(
            phase=Case(
                When(opens_at__gt=now, then=Value(UPCOMING)),
                When(closes_at__lte=now, then=Value(CLOSED)),
                default=Value(OPEN),
                output_field=IntegerField(),
            )
        )
        .order_by("phase", "-opens_at", "pk")
    )


def consultation_get_visible(*, user, pk: int) -> Consultation:
    """The consultation if this visitor may see it, else 404."""
    return get_object_or_404(_visible_to(user).select_related("plan"), pk=pk)


def section_list(*, consultation: Consultation) -> QuerySet[ConsultationSection]:
    """The consultation's sections in order, each with its `comment_count`
    (published comments)."""
    return consultation.sections.annotate(
        comment_count=Count("comments", filter=Q(comments__status=Comment.Status.PUBLISHED))
    ).order_by("order", "pk")


def section_get_visible(*, consultation: Consultation, section_pk: int) -> ConsultationSection:
    return get_object_or_404(consultation.sections.all(), pk=section_pk)


def section_neighbours(
    *, section: ConsultationSection
) -> tuple[ConsultationSection | None, ConsultationSection | None]:
    """The sections before and after this one, in the consultation's order."""
    siblings = ConsultationSection.objects.filter(consultation_id=section.consultation_id)
    before = Q(order__lt=section.order) | Q(order=section.order, pk__lt=section.pk)
    after = Q(order__gt=section.order) | Q(order=section.order, pk__gt=section.pk)
    previous = siblings.filter(before).order_by("-order", "-pk").first()
    following = siblings.filter(after).order_by("order", "pk").first()
    return previous, following


def proposal_list_public(
    *, consultation: Consultation, status: str | None = None
) -> QuerySet[Proposal]:
    """The consultation's proposals, every status, latest first; with what the
    page shows of the author (the public name, never the email)."""
    proposals = consultation.proposals.select_related("author__citizen_profile", "merged_into")
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("-created_at", "-pk")


def proposal_get_visible(*, consultation: Consultation, proposal_pk: int) -> Proposal:
    merged = Proposal.objects.order_by("created_at", "pk")
    proposals = consultation.proposals.select_related(
        "author__citizen_profile", "merged_into"
    ).prefetch_related(Prefetch("merged_proposals", queryset=merged))
    return get_object_or_404(proposals, pk=proposal_pk)


def option_list(*, consultation: Consultation) -> QuerySet[VoteOption]:
    """The vote options in order, each with its `votes` (ballots choosing it)."""
    return consultation.options.annotate(votes=Count("choices")).order_by("order", "pk")


def option_get(*, consultation: Consultation, option_pk: int) -> VoteOption:
    return get_object_or_404(consultation.options.all(), pk=option_pk)


def vote_results(*, consultation: Consultation, options=None) -> dict | None:
    """Counts and shares per option, or None while the results are not public.

    A share is the part of the ballots that chose the option: with several
    choices per ballot, the shares add up to more than 100%."""
    if not consultation.results_are_public():
        return None
    options = list(options if options is not None else option_list(consultation=consultation))
    ballots = Ballot.objects.filter(consultation=consultation).count()
    rows = [
        {"option": option, "votes": option.votes, "share": option.votes / ballots if ballots else 0}
        for option in options
    ]
    return {
        "ballots": ballots,
        "rows": rows,
        "max_votes": max((row["votes"] for row in rows), default=0),
    }


def ballot_of(*, consultation: Consultation, user) -> Ballot | None:
    """This user's ballot in the consultation, with its choices, for them only."""
    if not user.is_authenticated:
        return None
    return (
        Ballot.objects.filter(consultation=consultation, voter=user)
        .prefetch_related(Prefetch("options", queryset=VoteOption.objects.order_by("order", "pk")))
        .first()
    )


def consultation_get_public(*, pk: int) -> Consultation:
    """A published consultation of a public plan, else 404: where citizens
    take part (propose, vote), staff's preview does not count."""
    return get_object_or_404(Consultation.objects.published().select_related("plan"), pk=pk)


def consultation_plans_public() -> QuerySet:
    """Public plans that have a published consultation, for the list's filter."""
    return (
        ActionPlan.objects.published()
        .filter(consultations__in=Consultation.objects.published())
        .distinct()
        .order_by("-period_end", "title")
    )
