"""Give the staff groups the participation permissions.

Editors run consultations (sections, vote options), evaluate proposals and
add meeting documents. Moderators look after what the public writes: they
moderate comments, review abuse reports, and answer feedback. Both read
ballots (counts only; the admin shows no voter) and neither may change one.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACTIONS = ["add", "change", "delete", "view"]
EDITOR_PERMISSIONS = (
    [f"{action}_{model}" for model in ("consultation", "consultationsection", "voteoption",
                                       "meetingdocument") for action in ACTIONS]
    + ["view_proposal", "change_proposal", "view_ballot", "view_comment", "view_feedback"]
)  # fmt: skip
MODERATOR_PERMISSIONS = [
    "view_consultation", "view_consultationsection", "view_voteoption", "view_ballot",
    "view_proposal", "change_proposal",
    "view_comment", "change_comment", "moderate_comment",
    "view_commentflag", "change_commentflag",
    "view_feedback", "change_feedback",
    "add_meetingdocument", "change_meetingdocument", "delete_meetingdocument",
    "view_meetingdocument",
]  # fmt: skip
GRANTS = {"Editors": EDITOR_PERMISSIONS, "Moderators": MODERATOR_PERMISSIONS}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("consultations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="consultations", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="consultations", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("consultations", "0002_participation"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
