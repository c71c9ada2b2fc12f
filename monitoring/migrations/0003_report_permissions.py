"""Give the Editors group the monitoring workflow's permissions.

Editors manage reporting periods and invitations, read reports, respond to
them and publish them. They never change a monitor's text: the admin shows it
read-only and the review page writes only the city's response.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = [
    "add_reportingperiod",
    "change_reportingperiod",
    "delete_reportingperiod",
    "view_reportingperiod",
    "view_report",
    "view_commitmentassessment",
    "view_evidence",
    "view_reporttransition",
    "add_monitorinvitation",
    "view_monitorinvitation",
    "delete_monitorinvitation",
    "respond_report",
    "publish_report",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("monitoring")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="monitoring", codename__in=EDITOR_PERMISSIONS
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name="Editors"):
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="monitoring", codename__in=EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_reports"),
        ("plans", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
