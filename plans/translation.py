"""Translated fields of the plans app, and their history.

History is registered here, after the translation fields exist, so that the
historical tables keep one column per language (registering it on the model
class would snapshot the fields before modeltranslation adds them).
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
    NARRATIVE_FIELDS,
    ActionPlan,
    Endorsement,
    Institution,
    Jurisdiction,
    ParticipationFigure,
)


@register(Jurisdiction)
class JurisdictionTranslation(TranslationOptions):
    fields = ("name", "country")


@register(Institution)
class InstitutionTranslation(TranslationOptions):
    fields = ("name",)


@register(ActionPlan)
class ActionPlanTranslation(TranslationOptions):
    fields = ("title", *NARRATIVE_FIELDS)


@register(Endorsement)
class EndorsementTranslation(TranslationOptions):
    fields = ("role", "organisation")


@register(ParticipationFigure)
class ParticipationFigureTranslation(TranslationOptions):
    fields = ("label",)


for model in (Jurisdiction, Institution, Endorsement, ParticipationFigure):
    simple_history.register(model)
simple_history.register(ActionPlan, m2m_fields=["lead_institutions"])
