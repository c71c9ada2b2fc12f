"""Fixtures shared by the commitment tests."""

import pytest

from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    PolicyAreaFactory,
)


@pytest.fixture
def two_plans():
    """Two plans, three commitments: what the list page and the API filter."""
    transparency = PolicyAreaFactory(slug="transparency")
    city_hall = InstitutionFactory(name="City hall")
    plan_a = ActionPlanFactory(slug="plan-a")
    plan_b = ActionPlanFactory(slug="plan-b")
    first = CommitmentFactory(
        plan=plan_a,
        identifier="AA0001",
        title="Open budget data",
        policy_areas=[transparency],
        lead_institution=city_hall,
        value_technology=True,
    )
    second = CommitmentFactory(
        plan=plan_a, identifier="AA0002", title="Participatory budgeting", value_technology=False
    )
    third = CommitmentFactory(plan=plan_b, identifier="BB0001", title="Citizen engagement platform")
    MilestoneFactory(commitment=first, completed=True)
    MilestoneFactory(commitment=second)
    return first, second, third
