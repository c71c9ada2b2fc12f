import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from commitments.models import Commitment, Milestone
from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    IndicatorFactory,
    MilestoneFactory,
)
from tests.validation import clean_errors, codes, has_catalog, messages

pytestmark = pytest.mark.django_db

END_BEFORE_START = "The end date cannot be before the start date."
IDENTIFIER_FORMAT = "Use the OGP style: 2 to 4 capital letters and 4 digits, e.g. GE0067."
FRENCH = pytest.mark.skipif(
    not has_catalog("fr"), reason="French catalog not compiled: make compile-messages"
)


def new_commitment(**fields):
    """An unsaved commitment in a saved plan, ready for full_clean()."""
    fields.setdefault("plan", ActionPlanFactory())
    return CommitmentFactory.build(lead_institution=None, **fields)


def new_milestone(commitment, **fields):
    return MilestoneFactory.build(commitment=commitment, **fields)


# Commitment ------------------------------------------------------------------


def test_commitment_ending_before_it_starts_is_refused_on_the_end_date():
    commitment = new_commitment(
        start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2023, 12, 31)
    )

    with translation.override("en"):
        errors = clean_errors(commitment)

    assert list(errors) == ["end_date"]
    assert codes(errors, "end_date") == ["end_before_start"]
    assert messages(errors, "end_date") == [END_BEFORE_START]


def test_commitment_without_dates_is_accepted():
    assert clean_errors(new_commitment(start_date=None, end_date=None)) == {}


@pytest.mark.parametrize("identifier", ["GE0067", "TS0001", "ABCD9999", "KU0001"])
def test_commitment_identifier_in_ogp_style_is_accepted(identifier):
    assert clean_errors(new_commitment(identifier=identifier)) == {}


@pytest.mark.parametrize(
    "identifier",
    ["ge0067", "G0067", "GE067", "GE00067", "ABCDE0067", "GE-0067", "GE 0067", "GE0067 ", "0067GE"],
)
def test_commitment_identifier_not_in_ogp_style_is_refused(identifier):
    with translation.override("en"):
        errors = clean_errors(new_commitment(identifier=identifier))

    assert list(errors) == ["identifier"]
    assert messages(errors, "identifier") == [IDENTIFIER_FORMAT]


def test_commitment_identifier_is_unique_across_plans():
    CommitmentFactory(identifier="GE0067")
    twin = new_commitment(identifier="GE0067")

    assert codes(clean_errors(twin), "identifier") == ["unique"]
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_commitment_number_is_unique_within_its_plan():
    first = CommitmentFactory(number=3)
    twin = new_commitment(plan=first.plan, number=3)

    errors = clean_errors(twin)

    assert list(errors) == ["__all__"]
    assert codes(errors, "__all__") == ["unique_together"]
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_commitment_number_may_repeat_in_another_plan():
    CommitmentFactory(number=3)

    assert clean_errors(new_commitment(number=3)) == {}


@pytest.mark.parametrize(("number", "code"), [(0, "min_value"), (1000, "max_value")])
def test_commitment_number_outside_1_to_999_is_refused(number, code):
    assert codes(clean_errors(new_commitment(number=number)), "number") == [code]


def test_commitment_factory_gives_unique_valid_identifiers_and_numbers():
    plan = ActionPlanFactory()
    first, second = CommitmentFactory.create_batch(2, plan=plan)

    assert first.identifier != second.identifier
    assert (first.number, second.number) == (1, 2)
    assert clean_errors(first) == {}
    assert clean_errors(second) == {}


def test_published_commitments_leave_out_unpublished_ones_and_those_of_draft_plans():
    public = CommitmentFactory()
    CommitmentFactory(is_published=False)
    CommitmentFactory(plan=ActionPlanFactory(draft=True))

    assert list(Commitment.objects.published()) == [public]


@FRENCH
@pytest.mark.parametrize(
    ("fields", "field", "french"),
    [
        (
            {"start_date": datetime.date(2024, 1, 1), "end_date": datetime.date(2023, 1, 1)},
            "end_date",
            "La date de fin ne peut pas être antérieure à la date de début.",
        ),
        (
            {"identifier": "ge0067"},
            "identifier",
            "Utilisez le format du PGO\u00a0: 2 à 4 lettres majuscules et 4 chiffres, "
            "p. ex. GE0067.",
        ),
    ],
)
def test_commitment_validation_messages_are_translated_into_french(fields, field, french):
    commitment = new_commitment(**fields)

    with translation.override("fr"):
        assert messages(clean_errors(commitment), field) == [french]


# Milestone -------------------------------------------------------------------


@pytest.fixture
def commitment_2023_2024():
    return CommitmentFactory(
        start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2024, 12, 31)
    )


def test_milestone_ending_before_it_starts_is_refused_on_the_end_date(commitment_2023_2024):
    milestone = new_milestone(
        commitment_2023_2024,
        start_date=datetime.date(2023, 6, 1),
        end_date=datetime.date(2023, 5, 31),
    )

    with translation.override("en"):
        errors = clean_errors(milestone)

    assert list(errors) == ["end_date"]
    assert codes(errors, "end_date") == ["end_before_start"]
    assert messages(errors, "end_date") == [END_BEFORE_START]


def test_milestone_starting_before_its_commitment_is_refused(commitment_2023_2024):
    milestone = new_milestone(commitment_2023_2024, start_date=datetime.date(2022, 12, 31))

    with translation.override("en"):
        errors = clean_errors(milestone)

    assert list(errors) == ["start_date"]
    assert messages(errors, "start_date") == [
        "A milestone cannot start before its commitment (2023-01-01)."
    ]


def test_milestone_ending_after_its_commitment_is_refused(commitment_2023_2024):
    milestone = new_milestone(commitment_2023_2024, end_date=datetime.date(2025, 1, 1))

    with translation.override("en"):
        errors = clean_errors(milestone)

    assert list(errors) == ["end_date"]
    assert messages(errors, "end_date") == [
        "A milestone cannot end after its commitment (2024-12-31)."
    ]


def test_milestone_on_its_commitment_boundaries_is_accepted(commitment_2023_2024):
    milestone = new_milestone(
        commitment_2023_2024,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )

    assert clean_errors(milestone) == {}


def test_milestone_of_a_commitment_without_dates_may_have_any_dates():
    commitment = CommitmentFactory(start_date=None, end_date=None)
    milestone = new_milestone(
        commitment, start_date=datetime.date(2001, 1, 1), end_date=datetime.date(2099, 1, 1)
    )

    assert clean_errors(milestone) == {}


def test_completed_milestone_needs_a_completion_date(commitment_2023_2024):
    milestone = new_milestone(commitment_2023_2024, status=Milestone.Status.COMPLETED)

    with translation.override("en"):
        errors = clean_errors(milestone)

    assert list(errors) == ["completion_date"]
    assert messages(errors, "completion_date") == [
        "Give the date a completed milestone was completed."
    ]


def test_completed_milestone_with_a_completion_date_is_accepted(commitment_2023_2024):
    milestone = new_milestone(
        commitment_2023_2024,
        status=Milestone.Status.COMPLETED,
        completion_date=datetime.date(2024, 3, 1),
    )

    assert clean_errors(milestone) == {}


@pytest.mark.parametrize(
    "status", [status for status in Milestone.Status if status != Milestone.Status.COMPLETED]
)
def test_milestone_not_completed_cannot_have_a_completion_date(commitment_2023_2024, status):
    milestone = new_milestone(
        commitment_2023_2024, status=status, completion_date=datetime.date(2024, 3, 1)
    )

    with translation.override("en"):
        errors = clean_errors(milestone)

    assert messages(errors, "completion_date") == [
        "Only a completed milestone has a completion date."
    ]


@pytest.mark.parametrize(("weight", "code"), [(0, "min_value"), (101, "max_value")])
def test_milestone_weight_outside_1_to_100_is_refused(commitment_2023_2024, weight, code):
    milestone = new_milestone(commitment_2023_2024, weight=weight)

    assert codes(clean_errors(milestone), "weight") == [code]


@pytest.mark.parametrize("weight", [1, 100])
def test_milestone_weight_within_1_to_100_is_accepted(commitment_2023_2024, weight):
    assert clean_errors(new_milestone(commitment_2023_2024, weight=weight)) == {}


@FRENCH
@pytest.mark.parametrize(
    ("fields", "field", "french"),
    [
        (
            {"start_date": datetime.date(2022, 1, 1)},
            "start_date",
            "Un jalon ne peut pas commencer avant son engagement (2023-01-01).",
        ),
        (
            {"end_date": datetime.date(2025, 1, 1)},
            "end_date",
            "Un jalon ne peut pas se terminer après son engagement (2024-12-31).",
        ),
        (
            {"status": Milestone.Status.COMPLETED},
            "completion_date",
            "Indiquez la date à laquelle le jalon terminé a été achevé.",
        ),
        (
            {"completion_date": datetime.date(2024, 1, 1)},
            "completion_date",
            "Seul un jalon terminé a une date d'achèvement.",
        ),
    ],
)
def test_milestone_validation_messages_are_translated_into_french(
    commitment_2023_2024, fields, field, french
):
    milestone = new_milestone(commitment_2023_2024, **fields)

    with translation.override("fr"):
        assert messages(clean_errors(milestone), field) == [french]


# Indicator -------------------------------------------------------------------


def test_indicator_target_equal_to_its_baseline_is_refused():
    indicator = IndicatorFactory.build(
        commitment=CommitmentFactory(), baseline=Decimal("60"), target=Decimal("60.00")
    )

    with translation.override("en"):
        errors = clean_errors(indicator)

    assert list(errors) == ["target"]
    assert messages(errors, "target") == [
        "The target must differ from the baseline, or progress cannot be measured."
    ]


@FRENCH
def test_indicator_target_message_is_translated_into_french():
    indicator = IndicatorFactory.build(commitment=CommitmentFactory(), baseline=1, target=1)

    with translation.override("fr"):
        assert messages(clean_errors(indicator), "target") == [
            "La cible doit être différente de la valeur de référence, "
            "sinon l'avancement ne peut pas être mesuré."
        ]


@pytest.mark.parametrize(
    ("baseline", "target"),
    [
        (Decimal("0"), Decimal("100")),
        (Decimal("720"), Decimal("24")),
        (None, Decimal("5000")),
        (Decimal("3"), None),
    ],
)
def test_indicator_target_different_from_its_baseline_or_missing_is_accepted(baseline, target):
    indicator = IndicatorFactory.build(
        commitment=CommitmentFactory(), baseline=baseline, target=target
    )

    assert clean_errors(indicator) == {}
