import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from plans.models import MAX_HEADCOUNT, ActionPlan
from tests.factories import (
    ActionPlanFactory,
    JurisdictionFactory,
    ParticipationFigureFactory,
)
from tests.validation import clean_errors, codes, has_catalog, messages

pytestmark = pytest.mark.django_db

END_BEFORE_START = "The end date cannot be before the start date."
END_BEFORE_START_FR = "La date de fin ne peut pas être antérieure à la date de début."


def test_plan_period_ending_before_it_starts_is_refused_on_the_end_field():
    plan = ActionPlanFactory.build(
        jurisdiction=JurisdictionFactory(),
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )

    with translation.override("en"):
        errors = clean_errors(plan)

    assert list(errors) == ["period_end"]
    assert codes(errors, "period_end") == ["end_before_start"]
    assert messages(errors, "period_end") == [END_BEFORE_START]


def test_plan_period_of_a_single_day_is_accepted():
    day = datetime.date(2024, 6, 1)
    plan = ActionPlanFactory.build(
        jurisdiction=JurisdictionFactory(), period_start=day, period_end=day
    )

    assert clean_errors(plan) == {}


@pytest.mark.skipif(
    not has_catalog("fr"), reason="French catalog not compiled: make compile-messages"
)
def test_plan_period_message_is_translated_into_french():
    plan = ActionPlanFactory.build(
        jurisdiction=JurisdictionFactory(),
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )

    with translation.override("fr"):
        (message,) = messages(clean_errors(plan), "period_end")

    assert message == END_BEFORE_START_FR


@pytest.mark.parametrize("field", ["groups_count", "public_meetings_count"])
def test_plan_counts_above_the_headcount_limit_are_refused(field):
    plan = ActionPlanFactory.build(jurisdiction=JurisdictionFactory(), **{field: MAX_HEADCOUNT + 1})

    assert codes(clean_errors(plan), field) == ["max_value"]


@pytest.mark.parametrize("field", ["groups_count", "public_meetings_count"])
def test_plan_counts_at_the_headcount_limit_or_empty_are_accepted(field):
    jurisdiction = JurisdictionFactory()

    for value in (0, MAX_HEADCOUNT, None):
        plan = ActionPlanFactory.build(jurisdiction=jurisdiction, **{field: value})
        assert clean_errors(plan) == {}, value


def test_plan_slug_is_unique():
    ActionPlanFactory(slug="kutaisi-2022-2025")
    twin = ActionPlanFactory.build(jurisdiction=JurisdictionFactory(), slug="kutaisi-2022-2025")

    assert codes(clean_errors(twin), "slug") == ["unique"]


@pytest.mark.parametrize(("count", "code"), [(-1, "min_value"), (MAX_HEADCOUNT + 1, "max_value")])
def test_participation_figure_outside_the_headcount_range_is_refused(count, code):
    figure = ParticipationFigureFactory.build(plan=ActionPlanFactory(), count=count)

    assert codes(clean_errors(figure), "count") == [code]


@pytest.mark.parametrize("count", [0, 456, MAX_HEADCOUNT])
def test_participation_figure_within_the_headcount_range_is_accepted(count):
    figure = ParticipationFigureFactory.build(plan=ActionPlanFactory(), count=count)

    assert clean_errors(figure) == {}


def test_participation_figure_count_cannot_be_negative_in_the_database():
    figure = ParticipationFigureFactory.build(plan=ActionPlanFactory(), count=-1)

    with pytest.raises(IntegrityError), transaction.atomic():
        figure.save()


@pytest.mark.parametrize(
    ("year", "valid"), [(2010, False), (2011, True), (2100, True), (2101, False)]
)
def test_jurisdiction_membership_year_is_within_the_life_of_ogp(year, valid):
    jurisdiction = JurisdictionFactory.build(ogp_member_since=year)

    errors = clean_errors(jurisdiction)

    assert ("ogp_member_since" not in errors) is valid


def test_published_plans_leave_drafts_out():
    published = ActionPlanFactory()
    ActionPlanFactory(draft=True)

    assert list(ActionPlan.objects.published()) == [published]
