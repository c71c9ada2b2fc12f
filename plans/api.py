"""Jurisdictions and action plans in the public API (read-only).

Querysets come from plans.selectors: a draft plan answers 404 here as on its page.
"""

import django_filters
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from consultations.selectors.meetings import PlanParticipation, plan_participation
from monitoring.api import MonitoringBodySerializer
from ogp_portal.api import (
    LocalisedField,
    PageUrlField,
    PublicViewSet,
    choice_label_field,
    localised_data,
)

from . import selectors
from .models import (
    NARRATIVE_SECTIONS,
    ActionPlan,
    Endorsement,
    Institution,
    Jurisdiction,
    ParticipationFigure,
)

# What a path parameter may hold; anything else is a 404 before any query
# (PostgreSQL refuses some characters, such as NUL, in a query).
SLUG = "[-a-zA-Z0-9_]+"


class InstitutionSerializer(serializers.ModelSerializer):
    name = LocalisedField()
    kind_label = choice_label_field("kind")

    class Meta:
        model = Institution
        fields = ["id", "name", "kind", "kind_label", "website"]


class JurisdictionRefSerializer(serializers.ModelSerializer):
    name = LocalisedField()

    class Meta:
        model = Jurisdiction
        fields = ["slug", "name"]


class PlanRefSerializer(serializers.ModelSerializer):
    title = LocalisedField()
    url = PageUrlField()
    api_url = serializers.HyperlinkedIdentityField(view_name="api:plan-detail", lookup_field="slug")

    class Meta:
        model = ActionPlan
        fields = ["slug", "title", "url", "api_url"]


class JurisdictionSerializer(serializers.ModelSerializer):
    name = LocalisedField()
    country = LocalisedField()
    kind_label = choice_label_field("kind")
    plans = PlanRefSerializer(source="public_plans", many=True, read_only=True)
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:jurisdiction-detail", lookup_field="slug"
    )

    class Meta:
        model = Jurisdiction
        fields = [
            "slug",
            "name",
            "country",
            "kind",
            "kind_label",
            "ogp_member_since",
            "website",
            "plans",
            "api_url",
        ]


class PlanSerializer(serializers.ModelSerializer):
    title = LocalisedField()
    jurisdiction = JurisdictionRefSerializer(read_only=True)
    status_label = choice_label_field("status")
    progress = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "Mean progress of the plan's public commitments, from 0 to 1; "
            "null while none has milestones."
        ),
    )
    commitment_count = serializers.IntegerField(
        read_only=True, help_text=_("Number of public commitments.")
    )
    url = PageUrlField()
    api_url = serializers.HyperlinkedIdentityField(view_name="api:plan-detail", lookup_field="slug")

    class Meta:
        model = ActionPlan
        fields = [
            "slug",
            "title",
            "jurisdiction",
            "status",
            "status_label",
            "period_start",
            "period_end",
            "submission_date",
            "progress",
            "commitment_count",
            "updated_at",
            "url",
            "api_url",
        ]


class NarrativeSectionSerializer(serializers.Serializer):
    section = serializers.ChoiceField(choices=[name for name, _label in NARRATIVE_SECTIONS])
    heading = serializers.CharField(help_text=_("The section's question in the OGP template."))
    text = LocalisedField(help_text=_("Markdown."))


class EndorsementSerializer(serializers.ModelSerializer):
    role = LocalisedField()
    organisation = LocalisedField()

    class Meta:
        model = Endorsement
        fields = ["name", "role", "organisation"]


class ParticipationFigureSerializer(serializers.ModelSerializer):
    sector_label = choice_label_field("sector")
    label = LocalisedField(help_text=_("The plan's own wording, if any."))

    class Meta:
        model = ParticipationFigure
        fields = ["sector", "sector_label", "label", "count"]


class PlanDetailSerializer(PlanSerializer):
    lead_institutions = InstitutionSerializer(many=True, read_only=True)
    narrative = serializers.SerializerMethodField(
        help_text=_("The sections of the OGP Local template that have text, in template order.")
    )
    endorsements = EndorsementSerializer(many=True, read_only=True)
    groups_count = serializers.SerializerMethodField(
        help_text=_("Groups taking part in co-creation, counted as the plan's pages count them.")
    )
    public_meetings_count = serializers.SerializerMethodField(
        help_text=_("Co-creation meetings, counted as the plan's pages count them.")
    )
    participation = serializers.SerializerMethodField(
        help_text=_(
            "Who took part in co-creation, by sector: summed from the plan's meetings "
            "where they record it, else as reported in the plan."
        )
    )
    participation_source = serializers.SerializerMethodField(
        help_text=_("computed: summed from the meetings; reported: the totals given in the plan.")
    )
    monitoring_body = serializers.SerializerMethodField()
    commitments_api_url = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [
            *PlanSerializer.Meta.fields,
            "ogp_url",
            "lead_institutions",
            "groups_count",
            "public_meetings_count",
            "narrative",
            "participation",
            "participation_source",
            "endorsements",
            "monitoring_body",
            "commitments_api_url",
        ]

    @extend_schema_field(NarrativeSectionSerializer(many=True))
    def get_narrative(self, plan):
        sections = [
            {"section": name, "heading": str(heading), "text": localised_data(plan, name)}
            for name, heading in NARRATIVE_SECTIONS
        ]
        return [section for section in sections if section["text"]["text"]]

    def _participation(self, plan) -> PlanParticipation:
        # The pages' figures (one selector for both), read once per plan.
        if getattr(self, "_participation_plan", None) != plan.pk:
            self._participation_plan = plan.pk
            self._participation_figures = plan_participation(plan)
        return self._participation_figures

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_groups_count(self, plan):
        return self._participation(plan).groups_count

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_public_meetings_count(self, plan):
        return self._participation(plan).meetings_count

    @extend_schema_field(ParticipationFigureSerializer(many=True))
    def get_participation(self, plan):
        figures = self._participation(plan)
        if not figures.is_computed:
            return ParticipationFigureSerializer(
                plan.participation_figures.all(), many=True, context=self.context
            ).data
        language = translation.get_language()
        return [
            {
                "sector": row["sector"],
                "sector_label": str(row["sector_label"]),
                "label": {"text": "", "language": language},
                "count": row["count"],
            }
            for row in figures.rows
        ]

    @extend_schema_field(
        serializers.ChoiceField(choices=[PlanParticipation.COMPUTED, PlanParticipation.REPORTED])
    )
    def get_participation_source(self, plan):
        return self._participation(plan).source

    @extend_schema_field(MonitoringBodySerializer(allow_null=True))
    def get_monitoring_body(self, plan):
        body = selectors.plan_monitoring_body(plan=plan)
        return MonitoringBodySerializer(body, context=self.context).data if body else None

    @extend_schema_field(serializers.URLField())
    def get_commitments_api_url(self, plan):
        url = reverse("api:commitment-list", request=self.context["request"])
        return f"{url}?plan={plan.slug}"


class PlanFilter(django_filters.FilterSet):
    jurisdiction = django_filters.CharFilter(
        field_name="jurisdiction__slug", label=_("Jurisdiction (slug)"), max_length=100
    )
    status = django_filters.ChoiceFilter(
        choices=[
            choice for choice in ActionPlan.Status.choices if choice[0] != ActionPlan.Status.DRAFT
        ],
        label=_("Status"),
    )

    class Meta:
        model = ActionPlan
        fields = ["jurisdiction", "status"]


@extend_schema(tags=["plans"])
class JurisdictionViewSet(PublicViewSet):
    """Cities and countries with at least one public action plan."""

    serializer_class = JurisdictionSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        return selectors.jurisdiction_list_public()


@extend_schema(tags=["plans"])
class PlanViewSet(PublicViewSet):
    """Public action plans (drafts answer 404), current ones first, with their progress."""

    lookup_field = "slug"
    lookup_value_regex = SLUG
    filterset_class = PlanFilter

    def get_queryset(self):
        return selectors.plan_list_public()

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    def get_object(self):
        return selectors.plan_get_public(slug=self.kwargs["slug"])
