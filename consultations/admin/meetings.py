from django.contrib import admin

from consultations.forms.meetings import MeetingDocumentForm
from consultations.models import Meeting, MeetingDocument, MeetingParticipation
from ogp_portal.admin_base import (
    PortalAdmin,
    PortalStackedInline,
    UntranslatedPortalAdmin,
    UntranslatedTabularInline,
)


class ParticipationInline(UntranslatedTabularInline):
    model = MeetingParticipation
    fields = ["sector", "count"]


class DocumentInline(PortalStackedInline):
    """Minutes, slides, reports: a file (checked by its content) or a link."""

    model = MeetingDocument
    form = MeetingDocumentForm
    fields = ["title", "file", "url", "order"]


@admin.register(Meeting)
class MeetingAdmin(PortalAdmin):
    list_display = ["title", "plan", "date", "format", "is_online"]
    list_filter = ["format", "is_online", "plan"]
    search_fields = ["title", "venue", "plan__title"]
    date_hierarchy = "date"
    autocomplete_fields = ["plan"]
    inlines = [ParticipationInline, DocumentInline]
    list_select_related = ["plan"]


@admin.register(MeetingParticipation)
class MeetingParticipationAdmin(UntranslatedPortalAdmin):
    list_display = ["meeting", "sector", "count"]
    list_filter = ["sector"]
    search_fields = ["meeting__title"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting"]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(PortalAdmin):
    """The documents of every meeting in one list; usually edited in their meeting."""

    form = MeetingDocumentForm
    list_display = ["title", "meeting", "order"]
    search_fields = ["title", "meeting__title"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting"]
    fields = ["meeting", "title", "file", "url", "order"]
