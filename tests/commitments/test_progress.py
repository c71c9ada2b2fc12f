"""Progress as commitments/progress.py defines it, through model saves and the functions."""

import datetime

import pytest

from commitments import progress
from commitments.filters import at_risk_condition
from commitments.models import Commitment, Milestone
from plans.selectors import plan_list_public
from tests.factories import ActionPlanFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

DONE = Milestone.Status.COMPLETED
CANCELLED = Milestone.Status.CANCELLED
TODO = Milestone.Status.NOT_STARTED


def add_milestones(commitment, *statuses, weights=None):
    weights = weights or [1] * len(statuses)
    for status, weight in zip(statuses, weights, strict=True):
        MilestoneFactory(
            commitment=commitment, weight=weight, completed=status == DONE, status=status
        )
    commitment.refresh_from_db()
    return commitment


def days_from_today(days):
    return progress.today() + datetime.timedelta(days=days)


# What the commitment row stores ------------------------------------------------


def test_commitment_without_milestones_has_no_progress_rather_than_zero():
    commitment = CommitmentFactory()
    commitment.refresh_from_db()

    assert commitment.progress is None
    assert commitment.on_track_until is None
    assert (commitment.milestones_total, commitment.milestones_completed) == (0, 0)


def test_commitment_progress_is_completed_milestones_over_all_milestones():
    commitment = add_milestones(CommitmentFactory(), DONE, TODO, Milestone.Status.IN_PROGRESS, TODO)

    assert commitment.progress == 0.25
    assert commitment.progress_percent == 25
    assert (commitment.milestones_total, commitment.milestones_completed) == (4, 1)


def test_commitment_progress_leaves_cancelled_milestones_out():
    commitment = add_milestones(CommitmentFactory(), DONE, TODO, CANCELLED, CANCELLED)

    assert commitment.progress == 0.5
    assert (commitment.milestones_total, commitment.milestones_completed) == (2, 1)


def test_commitment_with_only_cancelled_milestones_has_no_progress():
    commitment = add_milestones(CommitmentFactory(), CANCELLED, CANCELLED)

    assert commitment.progress is None
    assert commitment.milestones_total == 0


def test_commitment_progress_weighs_each_milestone():
    commitment = add_milestones(CommitmentFactory(), DONE, TODO, weights=[3, 1])

    assert commitment.progress == 0.75
    assert (commitment.milestones_total, commitment.milestones_completed) == (2, 1)


def test_completing_a_milestone_updates_its_commitment():
    commitment = CommitmentFactory()
    milestone, _other = MilestoneFactory.create_batch(2, commitment=commitment)

    milestone.status = DONE
    milestone.completion_date = datetime.date(2024, 2, 1)
    milestone.save()

    commitment.refresh_from_db()
    assert commitment.progress == 0.5
    assert commitment.milestones_completed == 1


def test_deleting_a_milestone_updates_its_commitment():
    commitment = add_milestones(CommitmentFactory(), DONE, TODO)

    commitment.milestones.get(status=TODO).delete()

    commitment.refresh_from_db()
    assert commitment.progress == 1
    assert commitment.milestones_total == 1


def test_on_track_until_is_the_day_elapsed_time_reaches_progress():
    commitment = add_milestones(
        CommitmentFactory(
            start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2023, 12, 31)
        ),
        DONE,
        TODO,
        TODO,
        TODO,
    )

    # A quarter done: on track for a quarter of the 364 days.
    assert commitment.on_track_until == datetime.date(2023, 1, 1) + datetime.timedelta(days=91)


def test_changing_commitment_dates_moves_on_track_until():
    commitment = add_milestones(CommitmentFactory(), DONE, TODO)

    commitment.start_date = datetime.date(2023, 1, 1)
    commitment.end_date = datetime.date(2023, 1, 21)
    commitment.save()

    commitment.refresh_from_db()
    assert commitment.on_track_until == datetime.date(2023, 1, 11)


# At risk -------------------------------------------------------------------------


def running_commitment(*statuses):
    """A commitment half-way through its 200 days, with milestones of these statuses."""
    commitment = CommitmentFactory(start_date=days_from_today(-100), end_date=days_from_today(100))
    return add_milestones(commitment, *statuses)


def test_commitment_behind_the_time_elapsed_is_at_risk():
    commitment = running_commitment(DONE, TODO, TODO, TODO)

    assert commitment.is_at_risk is True


def test_commitment_ahead_of_the_time_elapsed_is_not_at_risk():
    commitment = running_commitment(DONE, DONE, DONE, TODO)

    assert commitment.is_at_risk is False


def test_completed_commitment_is_never_at_risk_even_after_its_end():
    commitment = CommitmentFactory(start_date=days_from_today(-400), end_date=days_from_today(-30))
    commitment = add_milestones(commitment, DONE, DONE)

    assert commitment.is_at_risk is False


def test_commitment_without_milestones_or_dates_is_not_at_risk():
    assert running_commitment().is_at_risk is False
    undated = add_milestones(CommitmentFactory(start_date=None, end_date=None), TODO)
    assert undated.is_at_risk is False


def test_at_risk_filter_in_sql_agrees_with_the_commitment_property():
    commitments = [
        running_commitment(DONE, TODO, TODO, TODO),
        running_commitment(DONE, DONE, DONE, TODO),
        running_commitment(),
        add_milestones(
            CommitmentFactory(start_date=days_from_today(-400), end_date=days_from_today(-30)),
            DONE,
        ),
    ]

    in_sql = set(Commitment.objects.filter(at_risk_condition()).values_list("pk", flat=True))

    assert in_sql == {c.pk for c in commitments if c.is_at_risk}
    assert len(in_sql) == 1


@pytest.mark.parametrize(
    ("share", "until", "on", "at_risk"),
    [
        (0.5, datetime.date(2024, 1, 1), datetime.date(2024, 1, 2), True),
        (0.5, datetime.date(2024, 1, 1), datetime.date(2024, 1, 1), False),
        (0.0, datetime.date(2024, 1, 1), datetime.date(2024, 1, 2), True),
        (1.0, datetime.date(2024, 1, 1), datetime.date(2030, 1, 1), False),
        (None, datetime.date(2024, 1, 1), datetime.date(2030, 1, 1), False),
        (0.5, None, datetime.date(2030, 1, 1), False),
    ],
)
def test_is_at_risk_once_the_on_track_day_has_passed_with_work_left(share, until, on, at_risk):
    assert progress.is_at_risk(share, until, on=on) is at_risk


@pytest.mark.parametrize(
    ("share", "start", "end", "expected"),
    [
        (0.5, datetime.date(2024, 1, 1), datetime.date(2024, 1, 11), datetime.date(2024, 1, 6)),
        (0.0, datetime.date(2024, 1, 1), datetime.date(2024, 1, 11), datetime.date(2024, 1, 1)),
        (1.0, datetime.date(2024, 1, 1), datetime.date(2024, 1, 11), datetime.date(2024, 1, 11)),
        (None, datetime.date(2024, 1, 1), datetime.date(2024, 1, 11), None),
        (0.5, None, datetime.date(2024, 1, 11), None),
        (0.5, datetime.date(2024, 1, 11), datetime.date(2024, 1, 11), None),
    ],
)
def test_on_track_until(share, start, end, expected):
    assert progress.on_track_until(share, start=start, end=end) == expected


# Overdue milestones ------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "end_in_days", "overdue"),
    [
        (Milestone.Status.NOT_STARTED, -1, True),
        (Milestone.Status.IN_PROGRESS, -1, True),
        (Milestone.Status.DELAYED, -1, True),
        (Milestone.Status.COMPLETED, -1, False),
        (Milestone.Status.CANCELLED, -1, False),
        (Milestone.Status.IN_PROGRESS, 0, False),
        (Milestone.Status.IN_PROGRESS, 1, False),
        (Milestone.Status.IN_PROGRESS, None, False),
    ],
)
def test_milestone_is_overdue_when_its_end_has_passed_and_it_is_not_done(
    status, end_in_days, overdue
):
    end = None if end_in_days is None else days_from_today(end_in_days)
    commitment = CommitmentFactory(start_date=None, end_date=None)
    milestone = MilestoneFactory(
        commitment=commitment,
        start_date=None,
        end_date=end,
        status=status,
        completion_date=days_from_today(-2) if status == DONE else None,
    )

    assert milestone.is_overdue is overdue


# Plan progress -----------------------------------------------------------------


def test_plan_progress_is_the_mean_of_its_public_commitments_progress():
    plan = ActionPlanFactory()
    add_milestones(CommitmentFactory(plan=plan), DONE, TODO)  # 0.5
    add_milestones(CommitmentFactory(plan=plan), DONE, DONE, DONE, TODO)  # 0.75
    CommitmentFactory(plan=plan)  # no milestones: no progress, left out
    add_milestones(CommitmentFactory(plan=plan, is_published=False), TODO)  # not public

    listed = plan_list_public().get(pk=plan.pk)

    assert listed.progress == pytest.approx(0.625)
    assert listed.commitment_count == 3


def test_plan_without_measurable_commitments_has_no_progress():
    plan = ActionPlanFactory()
    CommitmentFactory(plan=plan)

    assert plan_list_public().get(pk=plan.pk).progress is None


def test_mean_ignores_missing_values():
    assert progress.mean([0.5, None, 0.75]) == 0.625
    assert progress.mean([None]) is None
    assert progress.mean([]) is None
