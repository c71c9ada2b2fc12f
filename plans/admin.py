from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ogp_portal.admin_base import PortalAdmin, PortalStackedInline, VersionedPortalAdmin

from .models import (
    NARRATIVE_FIELDS,
    ActionPlan,
    Endorsement,
    Institution,
    Jurisdiction,
    ParticipationFigure,
)


@admin.register(Jurisdiction)
class JurisdictionAdmin(PortalAdmin):
    list_display = ["name", "country", "kind", "ogp_member_since"]
    list_filter = ["kind"]
    search_fields = ["name", "country"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Institution)
class InstitutionAdmin(PortalAdmin):
    list_display = ["name", "kind", "jurisdiction"]
    list_filter = ["kind", "jurisdiction"]
    search_fields = ["name"]
    autocomplete_fields = ["jurisdiction"]


class EndorsementInline(PortalStackedInline):
    model = Endorsement
    fields = ["order", "name", "role", "organisation"]


class ParticipationFigureInline(PortalStackedInline):
    model = ParticipationFigure
    fields = ["order", "sector", "label", "count"]


@admin.register(ActionPlan)
class ActionPlanAdmin(VersionedPortalAdmin):
    list_display = [
        "title",
        "jurisdiction",
        "period_start",
        "period_end",
        "status",
        "commitment_count",
        "updated_at",
    ]
    list_filter = ["status", "jurisdiction"]
    search_fields = ["title", "jurisdiction__name"]
    date_hierarchy = "period_start"
    autocomplete_fields = ["jurisdiction", "lead_institutions"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [EndorsementInline, ParticipationFigureInline]
    fieldsets = [
        (
            _("At a glance"),
            {
                "fields": [
                    "jurisdiction",
                    "title",
                    "slug",
                    ("period_start", "period_end"),
                    "submission_date",
                    "status",
                    "lead_institutions",
                    "ogp_url",
                ]
            },
        ),
        (_("Narrative sections of the OGP Local template"), {"fields": NARRATIVE_FIELDS}),
        (_("Co-creation figures"), {"fields": ["groups_count", "public_meetings_count"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("jurisdiction")
            .annotate(commitment_total=Count("commitments"))
        )

    @admin.display(description=_("commitments"), ordering="commitment_total")
    def commitment_count(self, plan):
        return plan.commitment_total


@admin.register(Endorsement)
class EndorsementAdmin(PortalAdmin):
    list_display = ["name", "role", "organisation", "plan"]
    list_filter = ["plan"]
    search_fields = ["name", "role", "organisation"]
    autocomplete_fields = ["plan"]


@admin.register(ParticipationFigure)
class ParticipationFigureAdmin(PortalAdmin):
    list_display = ["plan", "sector", "label", "count"]
    list_filter = ["sector", "plan"]
    search_fields = ["label", "plan__title"]
    autocomplete_fields = ["plan"]
