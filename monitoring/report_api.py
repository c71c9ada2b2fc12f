"""Published monitoring reports in the API, with no account or staff name."""

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from commitments.models import Milestone
from ogp_portal.api import LocalisedField, PublicViewSet, choice_label_field
from plans.api import PlanRefSerializer

from . import selectors
from .models import CommitmentAssessment, Evidence, MilestoneObservation, Report


class EvidenceSerializer(serializers.ModelSerializer):
    link = serializers.SerializerMethodField(help_text=_("The link, or the file's download."))
    kind = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["title", "kind", "link"]

    @extend_schema_field(serializers.URLField())
    def get_link(self, evidence) -> str:
        if evidence.url:
            return evidence.url
        path = reverse("monitoring:evidence_download", args=[evidence.pk])
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(serializers.ChoiceField(choices=["link", "file"]))
    def get_kind(self, evidence) -> str:
        return "file" if evidence.file else "link"


class MilestoneRefSerializer(serializers.ModelSerializer):
    title = LocalisedField()

    class Meta:
        model = Milestone
        fields = ["id", "order", "title"]


class MilestoneObservationSerializer(serializers.ModelSerializer):
    milestone = MilestoneRefSerializer(read_only=True)
    observed_status_label = choice_label_field("observed_status")
    city_status = serializers.CharField(source="milestone.status", read_only=True)

    class Meta:
        model = MilestoneObservation
        fields = ["milestone", "observed_status", "observed_status_label", "city_status"]


class AssessmentSerializer(serializers.ModelSerializer):
    commitment = serializers.CharField(source="commitment.identifier", read_only=True)
    completion_label = choice_label_field("completion")
    city_progress = serializers.FloatField(
        source="commitment.progress",
        read_only=True,
        allow_null=True,
        help_text=_("The city's progress from its milestones today, from 0 to 1."),
    )
    milestones = MilestoneObservationSerializer(
        source="milestone_observations", many=True, read_only=True
    )
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = CommitmentAssessment
        fields = [
            "commitment",
            "completion",
            "completion_label",
            "city_progress",
            "milestones",
            "narrative",
            "challenges",
            "recommendations",
            "city_response",
            "evidence",
        ]


class ReportSerializer(serializers.ModelSerializer):
    plan = PlanRefSerializer(source="period.plan", read_only=True)
    kind_label = choice_label_field("kind")
    period_start = serializers.DateField(source="period.start", read_only=True)
    period_end = serializers.DateField(source="period.end", read_only=True)
    assessments = AssessmentSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    api_url = serializers.HyperlinkedIdentityField(view_name="api:report-detail")

    class Meta:
        model = Report
        fields = [
            "id",
            "plan",
            "kind",
            "kind_label",
            "period_start",
            "period_end",
            "submitted_at",
            "published_at",
            "overall_findings",
            "city_response",
            "assessments",
            "evidence",
            "api_url",
        ]


class ReportFilter(django_filters.FilterSet):
    plan = django_filters.CharFilter(
        field_name="period__plan__slug", label=_("Action plan (slug)"), max_length=100
    )
    kind = django_filters.ChoiceFilter(choices=Report.Kind.choices, label=_("Kind of report"))

    class Meta:
        model = Report
        fields = ["plan", "kind"]


@extend_schema(tags=["monitoring"])
class ReportViewSet(PublicViewSet):
    """Published reports of the independent monitoring bodies, latest period first."""

    serializer_class = ReportSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = ReportFilter

    def get_queryset(self):
        return selectors.reports_public().order_by("-period__start", "kind", "pk")
