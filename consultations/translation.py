"""Translated fields of the consultations app, and their history."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Meeting, MeetingParticipation


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "venue", "minutes")


simple_history.register(Meeting)
simple_history.register(MeetingParticipation)
