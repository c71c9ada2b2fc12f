"""Every page of every model in the admin, for each staff role and for strangers.

The models come from `admin.site._registry`, so a model registered later is
swept too, and fails until someone decides what editors may do with it.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from tests.factories import FACTORY_FOR_MODEL, MONITORS, UserFactory

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"plans", "commitments", "monitoring", "consultations"}
PAGES = ["changelist", "add", "change", "history"]
ALL_ALLOWED = dict.fromkeys(PAGES, 200)
# Portal models editors may not write in full through the admin.
EDITOR_PAGES_IN_PORTAL = {
    # The monitoring body's text: read here, answered on the review page.
    "monitoring.report": {"changelist": 200, "add": 403, "change": 200, "history": 200},
    # Feedback comes from the public: staff read and answer it, never add it.
    "consultations.feedback": {"changelist": 200, "add": 403, "change": 200, "history": 200},
    # Proposals come from citizens: staff evaluate them, never add them.
    "consultations.proposal": {"changelist": 200, "add": 403, "change": 200, "history": 200},
    # Ballots are read-only counts; their choices are superusers' only.
    "consultations.ballot": {"changelist": 200, "add": 403, "change": 200, "history": 200},
    "consultations.ballotchoice": dict.fromkeys(PAGES, 403),
    # Citizens' accounts, follows and notices are personal data: superusers only.
    "consultations.citizenprofile": dict.fromkeys(PAGES, 403),
    "consultations.follow": dict.fromkeys(PAGES, 403),
    "consultations.notification": dict.fromkeys(PAGES, 403),
    # Comments come from the public: editors read them, moderators moderate them.
    "consultations.comment": {"changelist": 200, "add": 403, "change": 200, "history": 200},
    # Abuse reports: moderators only.
    "consultations.commentflag": dict.fromkeys(PAGES, 403),
    # Invitations are sent, then only read or withdrawn.
    "monitoring.monitorinvitation": {
        "changelist": 200,
        "add": 200,
        "change": 200,
        "history": 200,
    },
}

# What an editor gets on the admin pages of models outside the portal's apps.
EDITOR_PAGES_OUTSIDE_PORTAL = {
    # Editors pick the accounts of a monitoring body: they see users, never edit them.
    "auth.user": {"changelist": 200, "add": 403, "change": 200, "history": 200},
    "auth.group": dict.fromkeys(PAGES, 403),
    # Login attempts and lockouts (django-axes): superusers only.
    "axes.accessattempt": dict.fromkeys(PAGES, 403),
    "axes.accesslog": dict.fromkeys(PAGES, 403),
    "axes.accessfailurelog": dict.fromkeys(PAGES, 403),
    # Authenticator apps (django-otp): superusers only, to remove a lost one.
    "otp_totp.totpdevice": dict.fromkeys(PAGES, 403),
    # The background task queue (emails waiting or failed): superusers only.
    "django_tasks_database.dbtaskresult": dict.fromkeys(PAGES, 403),
}

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label_lower)


def make_object(model):
    if model in FACTORY_FOR_MODEL:
        return FACTORY_FOR_MODEL[model]()
    if model is get_user_model():
        return UserFactory()
    if model is Group:
        return Group.objects.get(name=MONITORS)
    if model._meta.app_label == "axes":
        extra = {"failures_since_start": 1} if model._meta.model_name == "accessattempt" else {}
        return model.objects.create(username="someone", ip_address="192.0.2.1", **extra)
    if model._meta.label_lower == "otp_totp.totpdevice":
        return model.objects.create(user=UserFactory(), name="Authenticator app")
    if model._meta.label_lower == "django_tasks_database.dbtaskresult":
        return model.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="ogp_portal.mail.email_send",
            backend_name="default",
            run_after=timezone.now(),
        )
    pytest.fail(f"No way to create a {model._meta.label} for the admin tests")


def page_url(model, page, obj):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
    if page in ("change", "history"):
        return reverse(name, args=[obj.pk])
    return reverse(name)


def editor_expectations(model):
    if model._meta.app_label in PORTAL_APPS:
        return EDITOR_PAGES_IN_PORTAL.get(model._meta.label_lower, ALL_ALLOWED)
    label = model._meta.label_lower
    if label not in EDITOR_PAGES_OUTSIDE_PORTAL:
        pytest.fail(f"Decide what editors may do with {label} in the admin")
    return EDITOR_PAGES_OUTSIDE_PORTAL[label]


def test_factories_cover_exactly_the_portal_models_in_the_admin():
    # The sweeps below create one record of each model through its factory.
    registered = {model for model in REGISTERED if model._meta.app_label in PORTAL_APPS}

    assert registered == set(FACTORY_FOR_MODEL)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_editor_reaches_the_admin_pages_of_the_models_editors_manage(editor_client, model):
    obj = make_object(model)
    expected = editor_expectations(model)

    answers = {page: editor_client.get(page_url(model, page, obj)).status_code for page in PAGES}

    assert answers == expected


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_anonymous_visitor_is_sent_to_the_login_page(client, model):
    obj = make_object(model)
    login = reverse("admin:login")

    for page in PAGES:
        url = page_url(model, page, obj)
        response = client.get(url)
        assert response.status_code == 302, page
        assert response["Location"].startswith(f"{login}?next="), page


def test_editor_is_not_a_superuser_and_holds_only_group_permissions(editor):
    assert not editor.is_superuser
    assert editor.user_permissions.count() == 0
    assert editor.has_perm("plans.change_actionplan")
    assert editor.has_perm("commitments.change_commitment")
    assert not editor.has_perm("auth.change_user")


def test_monitor_cannot_reach_the_admin(monitor_client):
    response = monitor_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label_lower)
def test_monitors_group_grants_no_admin_page_even_to_a_staff_account(client_for, model):
    # Monitors are not admin users; if one is marked staff by mistake, the
    # group still opens nothing.
    monitor = UserFactory(is_staff=True, groups=[MONITORS])

    response = client_for(monitor).get(page_url(model, "changelist", None))

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("url_name", "status"),
    [
        ("admin:plans_actionplan_changelist", 200),
        ("admin:commitments_commitment_changelist", 200),
        ("admin:consultations_meeting_add", 200),
        ("admin:plans_actionplan_add", 403),
        ("admin:commitments_commitment_add", 403),
        ("admin:monitoring_monitoringbody_changelist", 403),
        ("admin:auth_user_changelist", 403),
    ],
)
def test_moderator_reads_the_plan_and_manages_the_cocreation_record(
    moderator_client, url_name, status
):
    assert moderator_client.get(reverse(url_name)).status_code == status
