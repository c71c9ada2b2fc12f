"""The IRM's ratings of a commitment, each with what it means in plain language.

Wording follows the IRM's own definitions (DOMAIN.md, "IRM assessment"),
rewritten for residents who have never read an IRM report.
"""

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

EXPLANATIONS = {
    "irm_verifiable": {
        "yes": _("The commitment is specific enough for anyone to check whether it was done."),
        "no": _("The commitment is too vague to check whether it was done."),
    },
    "irm_relevant": {
        "yes": _(
            "It makes government more open: more information, more participation "
            "or more accountability to the public."
        ),
        "no": _("It does not clearly make government more open to the public."),
    },
    "irm_potential_for_results": {
        "unclear": _("It is unclear what difference the commitment would make, even if done."),
        "modest": _("A positive but limited step; it would not change practice on its own."),
        "substantial": _("If done, it could change how government works in this area."),
    },
    "irm_potential_impact": {
        "none": _("Even if done, it would not change government practice."),
        "minor": _("An incremental step in the right direction."),
        "moderate": _("A major step forward, limited in scope or scale."),
        "transformative": _("It could reform how government works in this area."),
    },
    "irm_completion": {
        "no_evidence": _("The IRM found no evidence to judge how much was done."),
        "not_started": _("Work had not started when the IRM looked."),
        "limited": _("A small part was done."),
        "substantial": _("Most of it was done."),
        "complete": _("All of it was done."),
    },
    "irm_early_results": {
        "worsened": _("Government became less open because of it."),
        "did_not_change": _("Government practice did not change."),
        "marginal": _("A small but positive change in government practice."),
        "major": _("A clear step forward in government openness in this area."),
        "outstanding": _("A reform that transformed government practice in this area."),
    },
}

FLAG_EXPLANATIONS = {
    "irm_starred": _(
        "Starred commitments were verifiable, relevant, of transformative potential "
        "impact and substantially or fully completed (older plans)."
    ),
    "irm_promising": _(
        "Promising commitments are those the IRM singles out as the plan's most "
        "likely to bring results (plans from 2020 on)."
    ),
}


@dataclass(frozen=True)
class Rating:
    label: str
    value: str
    explanation: str


def irm_ratings(commitment) -> list[Rating]:
    """The ratings the IRM gave this commitment, in the IRM's order."""
    ratings = []
    for field_name, meanings in EXPLANATIONS.items():
        value = getattr(commitment, field_name)
        if value:
            field = commitment._meta.get_field(field_name)
            ratings.append(
                Rating(
                    label=field.verbose_name,
                    value=getattr(commitment, f"get_{field_name}_display")(),
                    explanation=meanings[value],
                )
            )
    for field_name, explanation in FLAG_EXPLANATIONS.items():
        value = getattr(commitment, field_name)
        if value is not None:
            field = commitment._meta.get_field(field_name)
            ratings.append(
                Rating(
                    label=field.verbose_name,
                    value=gettext("Yes") if value else gettext("No"),
                    explanation=explanation,
                )
            )
    return ratings
