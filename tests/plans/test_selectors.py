import pytest
from django.http import Http404

from plans.selectors import plan_get_public
from tests.factories import ActionPlanFactory

pytestmark = pytest.mark.django_db


def test_public_plan_is_found_by_its_slug():
    plan = ActionPlanFactory(slug="regueb-2021-2023")

    assert plan_get_public(slug="regueb-2021-2023") == plan


def test_draft_plan_answers_404_to_the_public():
    ActionPlanFactory(slug="draft-plan", draft=True)

    with pytest.raises(Http404):
        plan_get_public(slug="draft-plan")
