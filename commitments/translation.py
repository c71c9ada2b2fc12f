"""Translated fields of the commitments app, and their history.

History is registered after the translation fields exist so that the
historical tables keep one column per language.
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Commitment, Indicator, Milestone, PolicyArea


@register(PolicyArea)
class PolicyAreaTranslation(TranslationOptions):
    fields = ("name",)


@register(Commitment)
class CommitmentTranslation(TranslationOptions):
    fields = (
        "title",
        "short_title",
        "problem",
        "objective",
        "description",
        "status_quo",
        "irm_report",
        "irm_summary",
        "irm_next_steps",
    )


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title", "evidence")


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("description", "unit")


simple_history.register(PolicyArea)
simple_history.register(Commitment, m2m_fields=["supporting_institutions", "policy_areas"])
simple_history.register(Milestone)
simple_history.register(Indicator)
