"""The monitoring body in the API, as its plan's page shows it.

Members appear with their name, organisation and sector only: never their
email (even one they agreed to show), phone or login. The body's contact
email is its public, institutional address, shown on the plan's page.
Published reports are in report_api.py (it builds on plans.api, which uses this).
"""

from rest_framework import serializers

from ogp_portal.api import LocalisedField, choice_label_field

from .models import MonitoringBody, MonitoringBodyMember


class MonitoringBodyMemberSerializer(serializers.ModelSerializer):
    organisation = LocalisedField()
    sector_label = choice_label_field("sector")

    class Meta:
        model = MonitoringBodyMember
        fields = ["name", "organisation", "sector", "sector_label"]


class MonitoringBodySerializer(serializers.ModelSerializer):
    name = LocalisedField()
    description = LocalisedField()
    contact_address = LocalisedField()
    members = MonitoringBodyMemberSerializer(many=True, read_only=True)

    class Meta:
        model = MonitoringBody
        fields = ["name", "description", "contact_email", "contact_address", "website", "members"]
