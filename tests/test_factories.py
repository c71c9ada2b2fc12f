"""The shared factories make valid records, so tests change only what they are about."""

import pytest

from tests.factories import FACTORY_FOR_MODEL, CommitmentFactory, MilestoneFactory
from tests.validation import clean_errors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory_class", FACTORY_FOR_MODEL.values(), ids=lambda f: f._meta.model._meta.label_lower
)
def test_factory_makes_a_record_that_passes_full_clean(factory_class):
    assert clean_errors(factory_class()) == {}


def test_completed_milestone_factory_gives_a_completion_date():
    milestone = MilestoneFactory(completed=True)

    assert milestone.completion_date is not None
    assert clean_errors(milestone) == {}


def test_commitments_are_published_in_a_published_plan_by_default():
    commitment = CommitmentFactory()

    assert commitment.is_published
    assert commitment.plan.is_public
