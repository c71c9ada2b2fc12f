"""How progress is computed. The "about the figures" page explains the same rules.

- A commitment's progress is the weighted share of its milestones that are
  completed; cancelled milestones are left out. Without milestones it has no
  progress (None), which is not the same as 0%.
- It is "on track until" the day on which the share of its time already
  elapsed equals its progress; after that day, with work left, it is at risk.
- A milestone is overdue when its end date has passed and it is neither
  completed nor cancelled.
- A plan's progress is the average of its commitments' progress.
"""

import datetime

from django.utils import timezone

COMPLETED = "completed"
CANCELLED = "cancelled"


def today() -> datetime.date:
    return timezone.localdate()


def commitment_progress(milestones, *, start, end) -> dict:
    """Derived fields of a commitment from (status, weight) of its milestones."""
    counted = [(status, weight) for status, weight in milestones if status != CANCELLED]
    total_weight = sum(weight for _status, weight in counted)
    done_weight = sum(weight for status, weight in counted if status == COMPLETED)
    share = done_weight / total_weight if total_weight else None
    return {
        "progress": share,
        "on_track_until": on_track_until(share, start=start, end=end),
        "milestones_total": len(counted),
        "milestones_completed": sum(1 for status, _weight in counted if status == COMPLETED),
    }


def on_track_until(share, *, start, end) -> datetime.date | None:
    """The day the elapsed share of [start, end] reaches `share`."""
    if share is None or start is None or end is None or end <= start:
        return None
    return start + datetime.timedelta(days=int((end - start).days * share))


def is_at_risk(share, on_track_until_date, *, on=None) -> bool:
    if share is None or share >= 1 or on_track_until_date is None:
        return False
    return (on or today()) > on_track_until_date


def is_milestone_overdue(status, end, *, on=None) -> bool:
    if end is None or status in (COMPLETED, CANCELLED):
        return False
    return end < (on or today())


def mean(values) -> float | None:
    values = [value for value in values if value is not None]
    return sum(values) / len(values) if values else None
