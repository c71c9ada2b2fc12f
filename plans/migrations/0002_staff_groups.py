"""Create the staff groups and give them their permissions.

Editors write the plan (plans, commitments, monitoring bodies, meetings).
Moderators look after public participation; until that exists they may read
plans and commitments and manage the co-creation record. Monitors are not
admin users: their group marks the role and carries no admin permission.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = {
    "plans": ["jurisdiction", "institution", "actionplan", "endorsement", "participationfigure"],
    "commitments": ["policyarea", "commitment", "milestone", "indicator"],
    "monitoring": ["monitoringbody", "monitoringbodymember"],
    "consultations": ["meeting", "meetingparticipation"],
}
MODERATOR_MODELS = {
    "consultations": ["meeting", "meetingparticipation"],
}
MODERATOR_READ_MODELS = {
    "plans": ["jurisdiction", "institution", "actionplan"],
    "commitments": ["commitment", "milestone", "indicator", "policyarea"],
}
ACTIONS = ["add", "change", "delete", "view"]


def permissions_for(Permission, models_by_app, actions):
    codenames = [
        f"{action}_{model}"
        for models in models_by_app.values()
        for model in models
        for action in actions
    ]
    return Permission.objects.filter(
        content_type__app_label__in=list(models_by_app), codename__in=codenames
    )


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations run; the groups
    # need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(
        list(permissions_for(Permission, EDITOR_MODELS, ACTIONS))
        # To pick the accounts of a monitoring body.
        + list(Permission.objects.filter(content_type__app_label="auth", codename="view_user"))
    )

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.set(
        list(permissions_for(Permission, MODERATOR_MODELS, ACTIONS))
        + list(permissions_for(Permission, MODERATOR_READ_MODELS, ["view"]))
    )

    Group.objects.get_or_create(name="Monitors")


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Editors", "Moderators", "Monitors"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("plans", "0001_initial"),
        ("commitments", "0001_initial"),
        ("monitoring", "0001_initial"),
        ("consultations", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
