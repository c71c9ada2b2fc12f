from django.contrib import admin

from ogp_portal.admin_base import PortalAdmin, UntranslatedPortalAdmin, UntranslatedTabularInline

from .models import Meeting, MeetingParticipation


class ParticipationInline(UntranslatedTabularInline):
    model = MeetingParticipation
    fields = ["sector", "count"]


@admin.register(Meeting)
class MeetingAdmin(PortalAdmin):
    list_display = ["title", "plan", "date", "format", "is_online"]
    list_filter = ["format", "is_online", "plan"]
    search_fields = ["title", "venue", "plan__title"]
    date_hierarchy = "date"
    autocomplete_fields = ["plan"]
    inlines = [ParticipationInline]
    list_select_related = ["plan"]


@admin.register(MeetingParticipation)
class MeetingParticipationAdmin(UntranslatedPortalAdmin):
    list_display = ["meeting", "sector", "count"]
    list_filter = ["sector"]
    search_fields = ["meeting__title"]
    autocomplete_fields = ["meeting"]
    list_select_related = ["meeting"]
