from django.contrib import admin

from ogp_portal.admin_base import PortalAdmin, PortalStackedInline

from .models import MonitoringBody, MonitoringBodyMember


class MemberInline(PortalStackedInline):
    model = MonitoringBodyMember
    fields = ["order", "name", "organisation", "role", "sector", "email", "email_is_public"]


@admin.register(MonitoringBody)
class MonitoringBodyAdmin(PortalAdmin):
    list_display = ["name", "plan", "contact_email"]
    list_filter = ["plan__jurisdiction"]
    search_fields = ["name", "plan__title"]
    autocomplete_fields = ["plan", "accounts"]
    inlines = [MemberInline]
    list_select_related = ["plan"]


@admin.register(MonitoringBodyMember)
class MonitoringBodyMemberAdmin(PortalAdmin):
    list_display = ["name", "organisation", "sector", "body", "email_is_public"]
    list_filter = ["sector", "email_is_public"]
    search_fields = ["name", "organisation"]
    autocomplete_fields = ["body"]
    list_select_related = ["body"]
