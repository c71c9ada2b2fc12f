"""Commitments, milestones and indicators in the public API (read-only).

Querysets come from commitments.selectors, so an unpublished commitment, or
one in a draft plan, answers 404 here as on its page; its milestones and
indicators are in no list. The commitment list takes the same filters as the
public list page (commitments.filters.CommitmentFilter).
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from ogp_portal.api import LocalisedField, PageUrlField, PublicViewSet, choice_label_field
from plans.api import InstitutionSerializer, PlanRefSerializer

from . import irm, selectors
from .filters import CommitmentFilter, at_risk_condition
from .models import VALUE_FIELDS, Commitment, Indicator, Milestone, PolicyArea

OGP_VALUES = [name.removeprefix("value_") for name in VALUE_FIELDS]


class PolicyAreaSerializer(serializers.ModelSerializer):
    name = LocalisedField()

    class Meta:
        model = PolicyArea
        fields = ["slug", "name"]


class CommitmentRefField(serializers.SlugRelatedField):
    """The commitment a milestone or indicator belongs to, by its identifier."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="identifier", read_only=True, **kwargs)


class MilestoneSerializer(serializers.ModelSerializer):
    title = LocalisedField()
    novelty_label = choice_label_field("novelty")
    status_label = choice_label_field("status")
    responsible_institution = InstitutionSerializer(read_only=True, allow_null=True)
    evidence = LocalisedField(help_text=_("Markdown."))
    is_overdue = serializers.BooleanField(
        read_only=True, help_text=_("Past its end date and neither completed nor cancelled.")
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "order",
            "title",
            "novelty",
            "novelty_label",
            "start_date",
            "end_date",
            "status",
            "status_label",
            "completion_date",
            "is_overdue",
            "weight",
            "responsible_institution",
            "evidence",
        ]


class MilestoneWithCommitmentSerializer(MilestoneSerializer):
    commitment = CommitmentRefField()
    api_url = serializers.HyperlinkedIdentityField(view_name="api:milestone-detail")

    class Meta(MilestoneSerializer.Meta):
        fields = ["id", "commitment", *MilestoneSerializer.Meta.fields[1:], "api_url"]


class IndicatorSerializer(serializers.ModelSerializer):
    description = LocalisedField()
    unit = LocalisedField()
    achievement = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=_("Share of the way from baseline to target, from 0 to 1; null until measured."),
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "order",
            "description",
            "baseline",
            "target",
            "current_value",
            "unit",
            "achievement",
        ]


class IndicatorWithCommitmentSerializer(IndicatorSerializer):
    commitment = CommitmentRefField()
    api_url = serializers.HyperlinkedIdentityField(view_name="api:indicator-detail")

    class Meta(IndicatorSerializer.Meta):
        fields = ["id", "commitment", *IndicatorSerializer.Meta.fields[1:], "api_url"]


class IrmRatingSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()
    explanation = serializers.CharField()


class IrmSerializer(serializers.ModelSerializer):
    """The Independent Reporting Mechanism's assessment; empty codes mean not rated."""

    report = LocalisedField("irm_report")
    verifiable = serializers.CharField(source="irm_verifiable")
    relevant = serializers.CharField(source="irm_relevant")
    potential_for_results = serializers.CharField(source="irm_potential_for_results")
    potential_impact = serializers.CharField(source="irm_potential_impact")
    completion = serializers.CharField(source="irm_completion")
    early_results = serializers.CharField(source="irm_early_results")
    starred = serializers.BooleanField(source="irm_starred", allow_null=True)
    promising = serializers.BooleanField(source="irm_promising", allow_null=True)
    summary = LocalisedField("irm_summary", help_text=_("Markdown."))
    next_steps = LocalisedField("irm_next_steps", help_text=_("Markdown."))
    ratings = serializers.SerializerMethodField(
        help_text=_("The ratings given, with what each means, as the commitment's page shows them.")
    )

    class Meta:
        model = Commitment
        fields = [
            "report",
            "verifiable",
            "relevant",
            "potential_for_results",
            "potential_impact",
            "completion",
            "early_results",
            "starred",
            "promising",
            "summary",
            "next_steps",
            "ratings",
        ]

    @extend_schema_field(IrmRatingSerializer(many=True))
    def get_ratings(self, commitment):
        return [
            {
                "label": str(rating.label),
                "value": str(rating.value),
                "explanation": str(rating.explanation),
            }
            for rating in irm.irm_ratings(commitment)
        ]


class CommitmentSerializer(serializers.ModelSerializer):
    title = LocalisedField()
    short_title = LocalisedField()
    plan = PlanRefSerializer(read_only=True)
    lead_institution = InstitutionSerializer(read_only=True, allow_null=True)
    policy_areas = PolicyAreaSerializer(many=True, read_only=True)
    ogp_values = serializers.SerializerMethodField(
        help_text=_("The OGP values the commitment is relevant to.")
    )
    novelty_label = choice_label_field("novelty")
    progress = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "Weighted share of completed milestones, cancelled ones left out, from 0 to 1; "
            "null while the commitment has no milestones."
        ),
    )
    on_track_until = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("The day elapsed time overtakes progress; at risk after it."),
    )
    is_at_risk = serializers.BooleanField(read_only=True)
    url = PageUrlField()
    api_url = serializers.HyperlinkedIdentityField(
        view_name="api:commitment-detail", lookup_field="identifier"
    )

    class Meta:
        model = Commitment
        fields = [
            "identifier",
            "number",
            "title",
            "short_title",
            "plan",
            "lead_institution",
            "policy_areas",
            "ogp_values",
            "novelty",
            "novelty_label",
            "start_date",
            "end_date",
            "progress",
            "milestones_total",
            "milestones_completed",
            "on_track_until",
            "is_at_risk",
            "updated_at",
            "url",
            "api_url",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(OGP_VALUES)))
    def get_ogp_values(self, commitment):
        return [name.removeprefix("value_") for name in VALUE_FIELDS if getattr(commitment, name)]


class CommitmentDetailSerializer(CommitmentSerializer):
    supporting_institutions = InstitutionSerializer(many=True, read_only=True)
    problem = LocalisedField(help_text=_("Markdown."))
    status_quo = LocalisedField(help_text=_("Markdown."))
    objective = LocalisedField(help_text=_("Markdown."))
    description = LocalisedField(help_text=_("Markdown."))
    milestones = MilestoneSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    irm = IrmSerializer(source="*", read_only=True)

    class Meta(CommitmentSerializer.Meta):
        fields = [
            *CommitmentSerializer.Meta.fields,
            "ogp_url",
            "supporting_institutions",
            "problem",
            "status_quo",
            "objective",
            "description",
            "milestones",
            "indicators",
            "irm",
        ]


class CommitmentApiFilter(CommitmentFilter):
    """The list page's filters, with two differences an API needs: the
    schema states the search's length limit, and `at_risk` accepts only
    `true` or `false` (the page's select silently ignores anything else)."""

    q = extend_schema_field({"type": "string", "maxLength": 200})(
        django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)
    )
    at_risk = django_filters.ChoiceFilter(
        label=_("Schedule: true for commitments at risk only, false for those on track only"),
        choices=[("true", "true"), ("false", "false")],
        method="filter_at_risk_text",
    )

    def filter_at_risk_text(self, queryset, name, value):
        if value == "true":
            return queryset.filter(at_risk_condition())
        return queryset.exclude(at_risk_condition())


class MilestoneFilter(django_filters.FilterSet):
    commitment = django_filters.CharFilter(
        field_name="commitment__identifier", label=_("Commitment (identifier)"), max_length=20
    )
    plan = django_filters.CharFilter(
        field_name="commitment__plan__slug", label=_("Action plan (slug)"), max_length=100
    )
    status = django_filters.ChoiceFilter(choices=Milestone.Status.choices, label=_("Status"))

    class Meta:
        model = Milestone
        fields = ["commitment", "plan", "status"]


class IndicatorFilter(django_filters.FilterSet):
    commitment = django_filters.CharFilter(
        field_name="commitment__identifier", label=_("Commitment (identifier)"), max_length=20
    )
    plan = django_filters.CharFilter(
        field_name="commitment__plan__slug", label=_("Action plan (slug)"), max_length=100
    )

    class Meta:
        model = Indicator
        fields = ["commitment", "plan"]


@extend_schema(tags=["commitments"])
class CommitmentViewSet(PublicViewSet):
    """Published commitments, with the filters and sort orders of the list page."""

    lookup_field = "identifier"
    lookup_value_regex = "[A-Za-z0-9]+"
    filterset_class = CommitmentApiFilter

    def get_queryset(self):
        return selectors.commitment_list_public().prefetch_related("policy_areas")

    def get_serializer_class(self):
        return CommitmentDetailSerializer if self.action == "retrieve" else CommitmentSerializer

    def get_object(self):
        return selectors.commitment_get_public(identifier=self.kwargs["identifier"])


@extend_schema(tags=["commitments"])
class MilestoneViewSet(PublicViewSet):
    """Milestones of published commitments."""

    serializer_class = MilestoneWithCommitmentSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = MilestoneFilter

    def get_queryset(self):
        return selectors.milestone_list_public()


@extend_schema(tags=["commitments"])
class IndicatorViewSet(PublicViewSet):
    """Indicators of published commitments: what is measured, baseline, target, current value."""

    serializer_class = IndicatorWithCommitmentSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = IndicatorFilter

    def get_queryset(self):
        return selectors.indicator_list_public()
