"""A synthetic action plan of any size, to try the portal at scale.

Used by `manage.py generate_sample_plan`, by the benchmarks in bench/ and by
the tests that check public pages keep a constant number of queries. Rows
are written in bulk, so no history is recorded for them; the derived progress
fields are computed with the same rules as for staff-entered milestones.
"""

import datetime

from django.db import transaction

from commitments import progress
from commitments.models import Commitment, Indicator, Milestone, PolicyArea
from ogp_portal.page_cache import bump_content_generation

from .models import ActionPlan, Institution, Jurisdiction

MILESTONE_STATUSES = [
    Milestone.Status.COMPLETED,
    Milestone.Status.IN_PROGRESS,
    Milestone.Status.NOT_STARTED,
    Milestone.Status.COMPLETED,
    Milestone.Status.DELAYED,
    Milestone.Status.CANCELLED,
]


@transaction.atomic
def sample_plan_create(
    *,
    slug: str = "sample-plan",
    identifier_prefix: str = "ZZ",
    commitments: int = 500,
    milestones_per_commitment: int = 6,
    start: datetime.date | None = None,
) -> ActionPlan:
    """Create a published plan with `commitments` commitments, each with
    `milestones_per_commitment` milestones and two indicators."""
    if not 1 <= commitments <= 9999:
        raise ValueError("A sample plan has between 1 and 9999 commitments.")
    start = start or datetime.date(progress.today().year - 1, 1, 1)
    end = start.replace(year=start.year + 3) - datetime.timedelta(days=1)
    jurisdiction, _created = Jurisdiction.objects.get_or_create(
        slug="sample-city",
        defaults={"name": "Sample City", "country": "Nowhere", "kind": Jurisdiction.Kind.LOCAL},
    )
    plan = ActionPlan.objects.create(
        jurisdiction=jurisdiction,
        slug=slug,
        title_en=f"Sample action plan ({commitments} commitments)",
        period_start=start,
        period_end=end,
        status=ActionPlan.Status.IN_IMPLEMENTATION,
        vision_en="A synthetic plan generated to try the portal at scale.",
    )
    plan.lead_institutions.add(
        sample_commitments_create(
            plan=plan,
            count=commitments,
            milestones_per_commitment=milestones_per_commitment,
            identifier_prefix=identifier_prefix,
        )
    )
    return plan


@transaction.atomic
def sample_commitments_create(
    *,
    plan: ActionPlan,
    count: int,
    milestones_per_commitment: int = 6,
    identifier_prefix: str = "ZZ",
) -> Institution:
    """Add `count` published commitments (with milestones and two indicators
    each) to `plan`, numbered after its last one; returns their lead institution."""
    highest = plan.commitments.order_by("-number").values_list("number", flat=True).first() or 0
    if highest + count > 9999:
        raise ValueError("A sample plan has at most 9999 commitments.")
    start, end = plan.period_start, plan.period_end
    institutions = Institution.objects.bulk_create(
        Institution(name=f"Sample department {n}", kind=Institution.Kind.GOVERNMENT)
        for n in range(1, 11)
    )
    areas = [
        PolicyArea.objects.get_or_create(
            slug=f"sample-area-{n}", defaults={"name_en": f"Area {n}"}
        )[0]
        for n in range(1, 6)
    ]
    rows = Commitment.objects.bulk_create(
        Commitment(
            plan=plan,
            identifier=f"{identifier_prefix}{number:04d}",
            number=number,
            title_en=f"Sample commitment {number}: publish data set {number} in open formats",
            objective_en="Make the data set available to everyone, free of charge.",
            lead_institution=institutions[number % len(institutions)],
            value_access_to_information=True,
            value_technology=number % 2 == 0,
            start_date=start,
            end_date=end,
            is_published=True,
        )
        for number in range(highest + 1, highest + count + 1)
    )
    through = Commitment.policy_areas.through
    through.objects.bulk_create(
        through(commitment_id=commitment.pk, policyarea_id=areas[index % len(areas)].pk)
        for index, commitment in enumerate(rows)
    )
    span = (end - start).days
    milestones = []
    for commitment in rows:
        for order in range(milestones_per_commitment):
            status = MILESTONE_STATUSES[(commitment.number + order) % len(MILESTONE_STATUSES)]
            milestone_end = start + datetime.timedelta(
                days=span * (order + 1) // milestones_per_commitment
            )
            milestones.append(
                Milestone(
                    commitment=commitment,
                    order=order,
                    title_en=f"Step {order + 1} of commitment {commitment.number}",
                    start_date=start,
                    end_date=milestone_end,
                    status=status,
                    completion_date=milestone_end if status == Milestone.Status.COMPLETED else None,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=1000)
    Indicator.objects.bulk_create(
        (
            Indicator(
                commitment=commitment,
                order=order,
                description_en=f"Indicator {order + 1}",
                baseline=0,
                target=100,
                current_value=(commitment.number * 7 + order * 13) % 100,
                unit_en="%",
            )
            for commitment in rows
            for order in range(2)
        ),
        batch_size=1000,
    )
    by_commitment = {}
    for milestone in milestones:
        by_commitment.setdefault(milestone.commitment_id, []).append(
            (milestone.status, milestone.weight)
        )
    for commitment in rows:
        figures = progress.commitment_progress(
            by_commitment.get(commitment.pk, []), start=start, end=end
        )
        for name, value in figures.items():
            setattr(commitment, name, value)
    Commitment.objects.bulk_update(
        rows,
        ["progress", "on_track_until", "milestones_total", "milestones_completed"],
        batch_size=500,
    )
    # Bulk writes send no signals.
    bump_content_generation()
    return institutions[0]
