import pytest
from django.http import Http404

from plans.models import Sector
from plans.selectors import plan_get_public, plan_participation_by_sector
from tests.factories import (
    ActionPlanFactory,
    MeetingFactory,
    MeetingParticipationFactory,
    ParticipationFigureFactory,
)

pytestmark = pytest.mark.django_db


def test_public_plan_is_found_by_its_slug():
    plan = ActionPlanFactory(slug="regueb-2021-2023")

    assert plan_get_public(slug="regueb-2021-2023") == plan


def test_draft_plan_answers_404_to_the_public():
    ActionPlanFactory(slug="draft-plan", draft=True)

    with pytest.raises(Http404):
        plan_get_public(slug="draft-plan")


def test_participation_by_sector_uses_the_plan_figures_when_entered():
    plan = ActionPlanFactory()
    ParticipationFigureFactory(plan=plan, sector=Sector.CIVIL_SOCIETY, label="CSOs", count=11)
    MeetingParticipationFactory(meeting=MeetingFactory(plan=plan), sector=Sector.CITIZENS)

    rows = plan_participation_by_sector(plan=plan)

    assert [(row["label"], row["count"]) for row in rows] == [("CSOs", 11)]


def test_participation_by_sector_otherwise_sums_the_meetings():
    plan = ActionPlanFactory()
    for count in (76, 181):
        meeting = MeetingFactory(plan=plan)
        MeetingParticipationFactory(meeting=meeting, sector=Sector.CITIZENS, count=count)
        MeetingParticipationFactory(meeting=meeting, sector=Sector.ACADEMIA, count=2)
    MeetingParticipationFactory(sector=Sector.CITIZENS, count=1000)  # another plan

    rows = plan_participation_by_sector(plan=plan)

    assert [(row["sector"], row["count"]) for row in rows] == [("Citizens", 257), ("Academia", 4)]
