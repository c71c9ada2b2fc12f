"""Translated fields of the monitoring app, and their history."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
    CommitmentAssessment,
    MilestoneObservation,
    MonitoringBody,
    MonitoringBodyMember,
    Report,
    ReportingPeriod,
)


@register(MonitoringBody)
class MonitoringBodyTranslation(TranslationOptions):
    fields = ("name", "description", "contact_address")


@register(MonitoringBodyMember)
class MonitoringBodyMemberTranslation(TranslationOptions):
    fields = ("organisation", "role")


simple_history.register(MonitoringBody, m2m_fields=["accounts"])
simple_history.register(MonitoringBodyMember)

# Reports are written in the monitor's own language: history, no translation.
simple_history.register(ReportingPeriod)
simple_history.register(Report)
simple_history.register(CommitmentAssessment)
simple_history.register(MilestoneObservation)
