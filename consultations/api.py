"""Co-creation meetings in the public API (read-only).

Only meetings of public plans are listed; a meeting says how many people
took part by sector, never who. Consultations (issue 5) will be added here,
as a viewset registered in ogp_portal/api_urls.py.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from ogp_portal.api import LocalisedField, PublicViewSet, choice_label_field
from plans.api import PlanRefSerializer

from . import selectors
from .models import Meeting, MeetingParticipation


class MeetingParticipationSerializer(serializers.ModelSerializer):
    sector_label = choice_label_field("sector")

    class Meta:
        model = MeetingParticipation
        fields = ["sector", "sector_label", "count"]


class MeetingSerializer(serializers.ModelSerializer):
    plan = PlanRefSerializer(read_only=True)
    title = LocalisedField()
    format_label = choice_label_field("format")
    venue = LocalisedField()
    minutes = LocalisedField(help_text=_("Markdown."))
    participation = MeetingParticipationSerializer(many=True, read_only=True)
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
        return selectors.meeting_list_public()
