from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.admin_base import (
    PortalAdmin,
    PortalStackedInline,
    UntranslatedPortalAdmin,
    UntranslatedTabularInline,
)

from . import services
from .models import (
    CommitmentAssessment,
    Evidence,
    MonitoringBody,
    MonitoringBodyMember,
    MonitorInvitation,
    Report,
    ReportingPeriod,
    ReportTransition,
)


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
    actions = ["generate_periods"]

    @admin.action(description=_("Generate quarterly reporting periods for their plans"))
    def generate_periods(self, request, queryset):
        created = sum(
            len(services.reporting_periods_generate(plan=body.plan))
            for body in queryset.select_related("plan")
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d reporting period created.",
                "%(count)d reporting periods created.",
                created,
            )
            % {"count": created},
            messages.SUCCESS,
        )


@admin.register(MonitoringBodyMember)
class MonitoringBodyMemberAdmin(PortalAdmin):
    list_display = ["name", "organisation", "sector", "body", "email_is_public"]
    list_filter = ["sector", "email_is_public"]
    search_fields = ["name", "organisation"]
    autocomplete_fields = ["body"]
    list_select_related = ["body"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(UntranslatedPortalAdmin):
    list_display = ["__str__", "plan", "due_date", "is_overdue"]
    list_filter = ["plan"]
    date_hierarchy = "due_date"
    autocomplete_fields = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["plan__title"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("reports")

    @admin.display(boolean=True, description=_("overdue"))
    def is_overdue(self, period):
        return period.is_overdue()


class ReadOnlyInline(UntranslatedTabularInline):
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AssessmentInline(ReadOnlyInline):
    model = CommitmentAssessment
    fields = [
        "commitment",
        "completion",
        "narrative",
        "challenges",
        "recommendations",
        "city_response",
    ]
    readonly_fields = fields


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ["title", "assessment", "url", "original_name", "content_type", "size", "created_at"]
    readonly_fields = fields


class TransitionInline(ReadOnlyInline):
    model = ReportTransition
    fields = ["from_status", "to_status", "by", "at"]
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(UntranslatedPortalAdmin):
    """Reports as the city sees them: from submission on, read-only here.

    The city answers and publishes on the review page, which writes only its
    own response; the monitoring body's text is never editable by staff.
    """

    list_display = ["__str__", "body", "status", "submitted_at", "published_at", "review_link"]
    list_filter = ["status", "kind", "body"]
    search_fields = ["body__name", "period__plan__title"]
    list_select_related = ["body", "period__plan"]
    readonly_fields = [
        "body", "period", "kind", "status", "overall_findings", "city_response",
        "submitted_at", "responded_at", "published_at", "review_link",
    ]  # fmt: skip
    fields = readonly_fields
    inlines = [AssessmentInline, EvidenceInline, TransitionInline]

    def get_queryset(self, request):
        # Drafts belong to the monitoring body until it submits them.
        return super().get_queryset(request).exclude(status=Report.Status.DRAFT)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("review"))
    def review_link(self, report):
        if report.status == Report.Status.PUBLISHED:
            url, label = report.get_absolute_url(), _("Public page")
        else:
            url, label = reverse("monitoring:review_report", args=[report.pk]), _("Respond")
        return format_html('<a href="{}">{}</a>', url, label)


@admin.register(MonitorInvitation)
class MonitorInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "body", "created_at", "accepted_at"]
    list_filter = ["body"]
    search_fields = ["email"]
    autocomplete_fields = ["body"]
    fields = ["body", "email"]
    list_select_related = ["body"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The service creates the invitation and sends its signed link.
        invitation = services.monitor_invite(
            body=form.cleaned_data["body"], email=form.cleaned_data["email"], by=request.user
        )
        obj.pk = invitation.pk
        obj._state.adding = False
