"""The public responsiveness figure: share answered in time and median
response time, per month of submission in the site's time zone."""

import datetime
import re
from datetime import UTC

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from consultations.selectors.feedback import responsiveness_by_month
from tests.factories import FeedbackFactory

pytestmark = pytest.mark.django_db

URL = reverse("consultations:responsiveness")
NOW = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
HOUR = datetime.timedelta(hours=1)


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def feedback(submitted_at, *, answered_after=None, due_after=24 * HOUR):
    answered_at = None if answered_after is None else submitted_at + answered_after
    return FeedbackFactory(
        submitted_at=submitted_at,
        due_at=submitted_at + due_after,
        answered_at=answered_at,
        answer="Thank you: the portal opens in May." if answered_at else "",
    )


def month(figures, year, number):
    [found] = [m for m in figures.months if m.month == datetime.date(year, number, 1)]
    return found


def page_row(page, label):
    """The cells of the table row whose header is `label`."""
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        header = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if header and header.group(1).strip() == label:
            return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    raise AssertionError(f"no row {label!r}")


@pytest.fixture
def frozen_now(monkeypatch):
    """The page asks the clock; tests pin it to NOW."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@override_settings(TIME_ZONE="Asia/Tbilisi")
def test_responsiveness_counts_late_evening_utc_in_the_next_month_east_of_utc():
    feedback(at(2026, 1, 31, 21, 0))  # 01:00 on 1 February in Tbilisi (UTC+4)
    feedback(at(2026, 1, 31, 19, 0))  # 23:00 on 31 January in Tbilisi

    figures = responsiveness_by_month(now=NOW)

    assert month(figures, 2026, 2).received == 1
    assert month(figures, 2026, 1).received == 1


@override_settings(TIME_ZONE="America/Bogota")
def test_responsiveness_counts_early_morning_utc_in_the_previous_month_west_of_utc():
    feedback(at(2026, 3, 1, 3, 0))  # 22:00 on 28 February in Bogotá (UTC-5)
    feedback(at(2026, 3, 1, 6, 0))  # 01:00 on 1 March in Bogotá

    figures = responsiveness_by_month(now=NOW)

    assert month(figures, 2026, 2).received == 1
    assert month(figures, 2026, 3).received == 1


@override_settings(TIME_ZONE="UTC")
def test_responsiveness_in_utc_keeps_both_items_in_their_utc_month():
    feedback(at(2026, 1, 31, 21, 0))
    feedback(at(2026, 3, 1, 3, 0))

    figures = responsiveness_by_month(now=NOW)

    assert month(figures, 2026, 1).received == 1
    assert month(figures, 2026, 2).received == 0
    assert month(figures, 2026, 3).received == 1


@override_settings(TIME_ZONE="Asia/Tbilisi")
def test_responsiveness_window_starts_at_local_midnight_of_the_first_month():
    # 12 months up to March 2026: April 2025 to March 2026, local time.
    feedback(at(2025, 3, 31, 21, 0))  # 1 April 2025, 01:00 in Tbilisi: inside
    feedback(at(2025, 3, 31, 19, 0))  # 31 March 2025, 23:00 in Tbilisi: outside

    figures = responsiveness_by_month(now=NOW)

    assert [m.month for m in figures.months][0] == datetime.date(2026, 3, 1)
    assert [m.month for m in figures.months][-1] == datetime.date(2025, 4, 1)
    assert month(figures, 2025, 4).received == 1
    assert figures.total.received == 1


def test_responsiveness_answer_exactly_at_due_time_is_in_time_and_a_second_later_is_late():
    feedback(at(2026, 2, 2, 9, 0), answered_after=24 * HOUR)
    feedback(at(2026, 2, 3, 9, 0), answered_after=24 * HOUR + datetime.timedelta(seconds=1))

    february = month(responsiveness_by_month(now=NOW), 2026, 2)

    assert (february.in_time, february.late) == (1, 1)
    assert february.share_in_time == 50


def test_responsiveness_counts_unanswered_overdue_as_not_in_time_and_leaves_pending_out():
    feedback(at(2026, 3, 2, 9, 0), answered_after=2 * HOUR)  # in time
    feedback(at(2026, 3, 3, 9, 0))  # unanswered, overdue
    feedback(NOW - HOUR)  # unanswered, due tomorrow: pending
    feedback(NOW - 24 * HOUR)  # due exactly now: overdue

    march = month(responsiveness_by_month(now=NOW), 2026, 3)

    assert (march.received, march.in_time, march.overdue, march.pending) == (4, 1, 2, 1)
    assert march.share_in_time == pytest.approx(100 / 3)


def test_responsiveness_median_of_an_odd_number_of_answers_is_the_middle_one():
    for hours in (1, 2, 30):
        feedback(at(2026, 2, 10, 9, 0), answered_after=hours * HOUR)

    february = month(responsiveness_by_month(now=NOW), 2026, 2)

    assert february.median_response == 2 * HOUR
    assert february.median_response_display == "2 h 00 min"


def test_responsiveness_median_of_an_even_number_of_answers_is_the_mean_of_the_middle_two():
    for minutes in (60, 90, 200, 1000):
        feedback(at(2026, 2, 10, 9, 0), answered_after=datetime.timedelta(minutes=minutes))
    feedback(at(2026, 2, 11, 9, 0))  # unanswered: no response time

    february = month(responsiveness_by_month(now=NOW), 2026, 2)

    assert february.median_response == datetime.timedelta(minutes=145)
    assert february.median_response_display == "2 h 25 min"


def test_responsiveness_of_a_month_without_feedback_has_no_share():
    january = month(responsiveness_by_month(now=NOW), 2026, 1)

    assert (january.received, january.share_in_time, january.median_response) == (0, None, None)


@override_settings(TIME_ZONE="Asia/Tbilisi")
def test_responsiveness_page_shows_the_month_by_month_table_in_local_time(client, frozen_now):
    feedback(at(2026, 1, 31, 21, 0), answered_after=24 * HOUR)  # February in Tbilisi, in time
    feedback(at(2026, 2, 5, 9, 0), answered_after=25 * HOUR)  # late
    feedback(at(2026, 2, 6, 9, 0))  # overdue
    feedback(at(2026, 1, 31, 19, 0), answered_after=3 * HOUR)  # January in Tbilisi

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    # Month, received, in time, late, overdue, pending, share, median.
    assert page_row(page, "February 2026") == ["3", "1", "1", "1", "0", "33%", "24 h 30 min"]
    assert page_row(page, "January 2026") == ["1", "1", "0", "0", "0", "100%", "3 h 00 min"]
    assert page_row(page, "Last 12 months") == ["4", "2", "1", "1", "0", "50%", "24 h 00 min"]
    assert "Asia/Tbilisi" in page
    assert "24 hours" in page


@override_settings(TIME_ZONE="America/Bogota")
def test_responsiveness_page_counts_early_utc_march_in_february_in_bogota(client, frozen_now):
    feedback(at(2026, 3, 1, 3, 0), answered_after=HOUR)

    page = client.get(URL).content.decode()

    assert page_row(page, "February 2026")[:2] == ["1", "1"]
    assert page_row(page, "March 2026")[0] == "0"


def test_responsiveness_page_needs_the_same_queries_however_much_feedback(
    client, frozen_now, django_assert_max_num_queries
):
    feedback(at(2026, 2, 2, 9, 0), answered_after=HOUR)
    with django_assert_max_num_queries(1) as few:
        assert client.get(URL).status_code == 200

    for day in range(1, 28):
        feedback(at(2026, 2, day, 9, 0), answered_after=day * HOUR)
        feedback(at(2025, 6, day, 9, 0))
    with django_assert_max_num_queries(len(few)):
        assert client.get(URL).status_code == 200
