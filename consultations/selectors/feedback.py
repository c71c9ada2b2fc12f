"""Reads of feedback: the commitment a form is about, who answers, and the
public responsiveness figure (GE0067's indicator: share answered in time and
median response time, per month in the site's time zone)."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from commitments import selectors as commitment_selectors
from commitments.models import Commitment
from ogp_portal.mail import staff_emails

from ..models import Feedback

ANSWER_PERMISSION = "consultations.change_feedback"


def feedback_reference(feedback: Feedback) -> str:
    """The number the sender quotes, and staff see in the queue."""
    return f"F-{feedback.pk:06d}"


def feedback_commitment_get(*, identifier: str) -> Commitment:
    """A published commitment (of a published plan) to send feedback about,
    else 404: the commitments' own public list decides what is visible."""
    if "\x00" in identifier:  # from the URL; PostgreSQL refuses NUL in a query
        raise Http404
    return get_object_or_404(commitment_selectors.commitment_list_public(), identifier=identifier)


def feedback_get_sent(*, pk: int) -> Feedback:
    """The item a confirmation page describes (the caller checked the signature)."""
    return Feedback.objects.select_related("commitment").get(pk=pk)


def feedback_staff_emails() -> list[str]:
    """Who hears of new and overdue feedback: FEEDBACK_NOTIFY_EMAILS, else
    every active staff account that may answer it (superusers included)."""
    return list(settings.FEEDBACK_NOTIFY_EMAILS) or staff_emails(ANSWER_PERMISSION)


# ------------------------------------------------------------ responsiveness


def format_duration(duration: datetime.timedelta | None) -> str:
    """“26 h 05 min”: hours and minutes, rounded down to the minute."""
    if duration is None:
        return "—"
    minutes = int(duration.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return gettext("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}


@dataclass
class MonthFigures:
    """One month's items (or the whole window's, for the total)."""

    month: datetime.date | None
    received: int = 0
    in_time: int = 0
    late: int = 0
    overdue: int = 0  # unanswered and past due: not in time
    pending: int = 0  # unanswered, not yet due: left out of the share
    response_times: list[datetime.timedelta] = field(default_factory=list, repr=False)

    @property
    def counted(self) -> int:
        return self.in_time + self.late + self.overdue

    @property
    def share_in_time(self) -> float | None:
        """Percentage answered in time, of the items whose time has come."""
        if not self.counted:
            return None
        return 100 * self.in_time / self.counted

    @property
    def median_response(self) -> datetime.timedelta | None:
        if not self.response_times:
            return None
        return statistics.median(self.response_times)

    @property
    def median_response_display(self) -> str:
        return format_duration(self.median_response)

    def add(self, submitted_at, due_at, answered_at, now) -> None:
        self.received += 1
        if answered_at is not None:
            if answered_at <= due_at:
                self.in_time += 1
            else:
                self.late += 1
            self.response_times.append(answered_at - submitted_at)
        elif due_at <= now:
            self.overdue += 1
        else:
            self.pending += 1


@dataclass
class Responsiveness:
    months: list[MonthFigures]  # newest first
    total: MonthFigures
    target_hours: int
    time_zone: str

    @property
    def target_display(self) -> str:
        hours = self.target_hours
        return ngettext("%(hours)d hour", "%(hours)d hours", hours) % {"hours": hours}


def _month_start(year: int, month: int, tz) -> datetime.datetime:
    return datetime.datetime(year, month, 1, tzinfo=tz)


def _months_back(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) - count
    return index // 12, index % 12 + 1


def responsiveness_by_month(*, months: int = 12, now=None) -> Responsiveness:
    """Per calendar month of submission, in the site's time zone (TIME_ZONE),
    for the `months` months up to and including the current one. One query.

    An item answered at or before its due time is in time; answered later,
    late; unanswered past its due time, overdue (not in time); unanswered and
    not yet due, pending (left out of the share until its time comes). The
    median response time is over the answered items."""
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    local_now = timezone.localtime(now, tz)
    first_year, first_month = _months_back(local_now.year, local_now.month, months - 1)
    window_start = _month_start(first_year, first_month, tz)

    figures = {}
    for offset in range(months):
        year, month = _months_back(local_now.year, local_now.month, offset)
        figures[(year, month)] = MonthFigures(month=datetime.date(year, month, 1))
    total = MonthFigures(month=None)

    rows = Feedback.objects.filter(submitted_at__gte=window_start, submitted_at__lte=now)
    for submitted_at, due_at, answered_at in rows.values_list(
        "submitted_at", "due_at", "answered_at"
    ):
        local = timezone.localtime(submitted_at, tz)
        month = figures.get((local.year, local.month))
        if month is None:  # cannot happen inside the window; kept safe
            continue
        month.add(submitted_at, due_at, answered_at, now)
        total.add(submitted_at, due_at, answered_at, now)

    return Responsiveness(
        months=list(figures.values()),
        total=total,
        target_hours=settings.FEEDBACK_RESPONSE_HOURS,
        time_zone=str(tz),
    )
