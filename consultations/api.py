"""Co-creation meetings and consultations in the public API (read-only).

Only meetings of public plans and published consultations of public plans
are listed. A meeting says how many people took part by sector, never who; a
consultation gives its proposals' counts by status and, once its results are
public, its vote counts, never who proposed, commented or voted.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers

from consultations.models import (
    Consultation,
    ConsultationSection,
    Meeting,
    MeetingDocument,
    MeetingParticipation,
    Proposal,
    VoteOption,
)
from consultations.selectors import meetings as selectors
from ogp_portal.api import LocalisedField, PageUrlField, PublicViewSet, choice_label_field
from plans.api import PlanRefSerializer

# --- Meetings ------------------------------------------------------------------------------


class MeetingParticipationSerializer(serializers.ModelSerializer):
    sector_label = choice_label_field("sector")

    class Meta:
        model = MeetingParticipation
        fields = ["sector", "sector_label", "count"]


class MeetingDocumentSerializer(serializers.ModelSerializer):
    title = LocalisedField()
    url = serializers.SerializerMethodField(
        help_text=_("The uploaded file, or the document's address elsewhere.")
    )
    file_type = serializers.CharField(
        read_only=True, help_text=_("An uploaded file's type (PDF, DOCX...); empty for a link.")
    )

    class Meta:
        model = MeetingDocument
        fields = ["title", "url", "file_type"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document) -> str:
        if document.file:
            return self.context["request"].build_absolute_uri(document.file.url)
        return document.url


@extend_schema_field(
    {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "17:30"}
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time without an offset (OpenAPI's "time" format demands one)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingSerializer(serializers.ModelSerializer):
    plan = PlanRefSerializer(read_only=True)
    start_time = LocalTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("Local time in the portal's time zone, as HH:MM; null when not recorded."),
    )
    title = LocalisedField()
    format_label = choice_label_field("format")
    venue = LocalisedField()
    minutes = LocalisedField(help_text=_("Markdown."))
    participation = MeetingParticipationSerializer(many=True, read_only=True)
    documents = MeetingDocumentSerializer(many=True, read_only=True)
    api_url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "plan",
            "date",
            "start_time",
            "title",
            "format",
            "format_label",
            "is_online",
            "venue",
            "online_link",
            "groups_count",
            "participation",
            "minutes",
            "documents",
            "api_url",
        ]


class MeetingFilter(django_filters.FilterSet):
    plan = django_filters.CharFilter(
        field_name="plan__slug", label=_("Action plan (slug)"), max_length=100
    )
    format = django_filters.ChoiceFilter(choices=Meeting.Format.choices, label=_("Format"))

    class Meta:
        model = Meeting
        fields = ["plan", "format"]


@extend_schema(tags=["co-creation"])
class MeetingViewSet(PublicViewSet):
    """Co-creation meetings of public plans, latest first."""

    serializer_class = MeetingSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = MeetingFilter

    def get_queryset(self):
        return selectors.meeting_list_public().prefetch_related("documents")


# --- Consultations -------------------------------------------------------------------------


class ConsultationSectionSerializer(serializers.ModelSerializer):
    title = LocalisedField()
    body = LocalisedField(help_text=_("Markdown."))

    class Meta:
        model = ConsultationSection
        fields = ["id", "title", "body"]


class VoteOptionSerializer(serializers.ModelSerializer):
    title = LocalisedField()
    description = LocalisedField(help_text=_("Markdown."))
    votes = serializers.SerializerMethodField(
        help_text=_("Ballots that chose this option; null until the results are public.")
    )

    class Meta:
        model = VoteOption
        fields = ["id", "title", "description", "votes"]

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=0))
    def get_votes(self, option) -> int | None:
        # The prefetch sets option.consultation to the consultation being serialised.
        return option.votes if option.consultation.results_are_public(self.context["now"]) else None


class ProposalCountsSerializer(serializers.Serializer):
    """How many proposals are at each public status (who wrote them is never given)."""

    total = serializers.IntegerField(min_value=0)
    received = serializers.IntegerField(min_value=0)
    under_evaluation = serializers.IntegerField(min_value=0)
    selected = serializers.IntegerField(min_value=0)
    merged = serializers.IntegerField(min_value=0)
    not_retained = serializers.IntegerField(min_value=0)


class ConsultationSerializer(serializers.ModelSerializer):
    plan = PlanRefSerializer(read_only=True)
    subject_label = choice_label_field("subject")
    title = LocalisedField()
    description = LocalisedField(help_text=_("Markdown."))
    question = LocalisedField()
    is_open = serializers.SerializerMethodField(help_text=_("Open for participation now."))
    results_visibility_label = choice_label_field("results_visibility")
    results_are_public = serializers.SerializerMethodField(
        help_text=_("Whether vote counts are given (after closing, or live if staff chose so).")
    )
    ballots_count = serializers.SerializerMethodField(
        help_text=_("Ballots cast; null until the results are public.")
    )
    sections = ConsultationSectionSerializer(many=True, read_only=True)
    options = VoteOptionSerializer(many=True, read_only=True)
    proposals = serializers.SerializerMethodField()
    url = PageUrlField()
    api_url = serializers.HyperlinkedIdentityField(view_name="api:consultation-detail")

    class Meta:
        model = Consultation
        fields = [
            "id",
            "plan",
            "subject",
            "subject_label",
            "title",
            "description",
            "question",
            "opens_at",
            "closes_at",
            "is_open",
            "accepts_proposals",
            "max_choices",
            "results_visibility",
            "results_visibility_label",
            "results_are_public",
            "ballots_count",
            "sections",
            "options",
            "proposals",
            "url",
            "api_url",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_open(self, consultation) -> bool:
        return consultation.is_open(self.context["now"])

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_results_are_public(self, consultation) -> bool:
        return consultation.results_are_public(self.context["now"])

    @extend_schema_field(serializers.IntegerField(allow_null=True, min_value=0))
    def get_ballots_count(self, consultation) -> int | None:
        if not consultation.results_are_public(self.context["now"]):
            return None
        return consultation.ballots_count

    @extend_schema_field(ProposalCountsSerializer)
    def get_proposals(self, consultation) -> dict:
        counts = {
            status: getattr(consultation, f"proposals_{status}")
            for status in Proposal.Status.values
        }
        return {"total": sum(counts.values()), **counts}


class ConsultationFilter(django_filters.FilterSet):
    plan = django_filters.CharFilter(
        field_name="plan__slug", label=_("Action plan (slug)"), max_length=100
    )
    subject = django_filters.ChoiceFilter(choices=Consultation.Subject.choices, label=_("Subject"))
    open = django_filters.ChoiceFilter(
        label=_("true for consultations open now only, false for the others"),
        choices=[("true", "true"), ("false", "false")],
        method="filter_open",
    )

    class Meta:
        model = Consultation
        fields = ["plan", "subject", "open"]

    def filter_open(self, queryset, name, value):
        now = timezone.now()
        is_open = Q(opens_at__lte=now, closes_at__gt=now)
        return queryset.filter(is_open) if value == "true" else queryset.exclude(is_open)


@extend_schema(tags=["co-creation"])
class ConsultationViewSet(PublicViewSet):
    """Published consultations of public plans, latest opening first."""

    serializer_class = ConsultationSerializer
    lookup_value_regex = "[0-9]+"
    filterset_class = ConsultationFilter

    def get_queryset(self):
        return selectors.consultation_list_open_data()

    def get_serializer_context(self):
        # One moment for the whole answer: a consultation closing mid-answer
        # does not show counts for some options and not others.
        return {**super().get_serializer_context(), "now": timezone.now()}
