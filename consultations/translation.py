"""Translated fields of the consultations app, and their history.

What citizens write (comments, proposals, feedback) stays in the language
it was written in; what staff write is translated."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
    Comment,
    Consultation,
    ConsultationSection,
    Feedback,
    Meeting,
    MeetingDocument,
    MeetingParticipation,
    Proposal,
    VoteOption,
)


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "venue", "minutes")


@register(MeetingDocument)
class MeetingDocumentTranslation(TranslationOptions):
    fields = ("title",)


@register(Consultation)
class ConsultationTranslation(TranslationOptions):
    fields = ("title", "description", "question")


@register(ConsultationSection)
class ConsultationSectionTranslation(TranslationOptions):
    fields = ("title", "body")


@register(VoteOption)
class VoteOptionTranslation(TranslationOptions):
    fields = ("title", "description")


simple_history.register(Meeting)
simple_history.register(MeetingParticipation)
simple_history.register(MeetingDocument)
simple_history.register(Consultation)
simple_history.register(ConsultationSection)
simple_history.register(VoteOption)
# Staff decisions on what citizens wrote: evaluations, moderation, answers.
simple_history.register(Proposal)
simple_history.register(Comment)
simple_history.register(Feedback)
