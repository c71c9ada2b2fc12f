import pytest

from plans.models import MAX_HEADCOUNT, Sector
from tests.factories import MeetingFactory, MeetingParticipationFactory
from tests.validation import clean_errors, codes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("count", "code"), [(-1, "min_value"), (MAX_HEADCOUNT + 1, "max_value")])
def test_meeting_participation_outside_the_headcount_range_is_refused(count, code):
    participation = MeetingParticipationFactory.build(meeting=MeetingFactory(), count=count)

    assert codes(clean_errors(participation), "count") == [code]


def test_meeting_groups_above_the_headcount_limit_are_refused():
    meeting = MeetingFactory.build(plan=MeetingFactory().plan, groups_count=MAX_HEADCOUNT + 1)

    assert codes(clean_errors(meeting), "groups_count") == ["max_value"]


def test_meeting_counts_each_sector_once():
    meeting = MeetingFactory()
    MeetingParticipationFactory(meeting=meeting, sector=Sector.ACADEMIA, count=7)
    twin = MeetingParticipationFactory.build(meeting=meeting, sector=Sector.ACADEMIA, count=3)

    errors = clean_errors(twin)

    assert codes(errors, "__all__") == ["unique_together"]


def test_meeting_reads_as_its_date_and_title():
    meeting = MeetingFactory.build(title="Deliberative council")

    assert str(meeting) == "2021-10-05 Deliberative council"
