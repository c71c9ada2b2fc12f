from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats import base_formats

from ogp_portal.admin_base import (
    PortalAdmin,
    PortalStackedInline,
    VersionedPortalAdmin,
)

from .models import Commitment, Indicator, Milestone, PolicyArea
from .resources import CommitmentResource, IndicatorResource, MilestoneResource


class OpenDataImportMixin(ImportMixin):
    """Import from the open-data files (resources.py), CSV or XLSX: a preview
    that changes nothing (dry run) with a row-by-row report, then a
    confirmation that imports every row or none. Editors only: import needs
    the add and change permissions, which Moderators lack."""

    import_formats = [base_formats.CSV, base_formats.XLSX]
    import_template_name = "admin/commitments/open_data_import.html"

    def has_import_permission(self, request):
        opts = self.opts
        return request.user.has_perms(
            [
                f"{opts.app_label}.{get_permission_codename(action, opts)}"
                for action in ("add", "change")
            ]
        )

    def get_import_context_data(self, **kwargs):
        resource = self.get_import_resource_classes(None)[0]
        return {
            **super().get_import_context_data(**kwargs),
            "ignored_columns": resource.ignored_columns(),
        }

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        # Records changed between the preview and the confirmation, and a row
        # no longer imports: the whole import was rolled back.
        messages.error(
            request,
            _(
                "Nothing was imported: the data changed since the preview. Correct the "
                "rows below, then import the file again."
            ),
        )
        form = self.get_import_form_class(request)(
            self.get_import_formats(), self.get_import_resource_classes(request)
        )
        context = {
            **self.admin_site.each_context(request),
            **self.get_import_context_data(),
            "title": _("Import"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "result": result,
            "import_error_display": self.import_error_display,
        }
        return TemplateResponse(request, [self.import_template_name], context)


@admin.register(PolicyArea)
class PolicyAreaAdmin(PortalAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class MilestoneInline(PortalStackedInline):
    model = Milestone
    fields = [
        ("order", "weight", "novelty"),
        "title",
        ("start_date", "end_date"),
        ("status", "completion_date"),
        "responsible_institution",
        "evidence",
    ]
    autocomplete_fields = ["responsible_institution"]


class IndicatorInline(PortalStackedInline):
    model = Indicator
    fields = ["order", "description", "baseline", "target", "current_value", "unit"]


@admin.register(Commitment)
class CommitmentAdmin(OpenDataImportMixin, VersionedPortalAdmin):
    resource_classes = [CommitmentResource]
    list_display = [
        "identifier",
        "title",
        "plan",
        "lead_institution",
        "is_published",
        "milestone_count",
        "updated_at",
    ]
    list_display_links = ["identifier", "title"]
    list_filter = ["is_published", "plan", "policy_areas", "novelty", "irm_completion"]
    search_fields = ["identifier", "title", "short_title"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["plan", "lead_institution", "supporting_institutions", "policy_areas"]
    inlines = [MilestoneInline, IndicatorInline]
    fieldsets = [
        (
            _("Commitment"),
            {
                "fields": [
                    "plan",
                    ("identifier", "number"),
                    "title",
                    "short_title",
                    "is_published",
                    ("novelty", "start_date", "end_date"),
                    "lead_institution",
                    "supporting_institutions",
                    "policy_areas",
                    "ogp_url",
                ]
            },
        ),
        (_("Content"), {"fields": ["problem", "objective", "description", "status_quo"]}),
        (
            _("Relevance to OGP values"),
            {
                "fields": [
                    "value_access_to_information",
                    "value_civic_participation",
                    "value_public_accountability",
                    "value_technology",
                ]
            },
        ),
        (
            _("Independent Reporting Mechanism (IRM) assessment"),
            {
                "fields": [
                    "irm_report",
                    ("irm_verifiable", "irm_relevant"),
                    ("irm_potential_for_results", "irm_potential_impact"),
                    ("irm_completion", "irm_early_results"),
                    ("irm_starred", "irm_promising"),
                    "irm_summary",
                    "irm_next_steps",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("plan", "lead_institution")
            .annotate(milestone_total=Count("milestones"))
        )

    @admin.display(description=_("milestones"), ordering="milestone_total")
    def milestone_count(self, commitment):
        return commitment.milestone_total


@admin.register(Milestone)
class MilestoneAdmin(OpenDataImportMixin, PortalAdmin):
    resource_classes = [MilestoneResource]
    list_display = ["title", "commitment", "status", "start_date", "end_date", "completion_date"]
    list_filter = ["status", "novelty", "commitment__plan"]
    search_fields = ["title", "commitment__identifier"]
    date_hierarchy = "end_date"
    autocomplete_fields = ["commitment", "responsible_institution"]
    list_select_related = ["commitment"]


@admin.register(Indicator)
class IndicatorAdmin(OpenDataImportMixin, PortalAdmin):
    resource_classes = [IndicatorResource]
    list_display = ["description", "commitment", "baseline", "target", "current_value", "unit"]
    list_filter = ["commitment__plan"]
    search_fields = ["description", "commitment__identifier"]
    autocomplete_fields = ["commitment"]
    list_select_related = ["commitment"]
