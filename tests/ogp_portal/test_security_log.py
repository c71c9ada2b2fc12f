"""The security log: one JSON line per login, failure, lockout, refusal,
publication and role change, with UTC time and actor, and no secret."""

import contextlib
import io
import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from plans.models import ActionPlan
from tests.admin_forms import form_data
from tests.factories import (
    EDITORS,
    MODERATORS,
    PASSWORD,
    ActionPlanFactory,
    CommitmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LOGIN_URL = reverse("accounts:login")


class SecurityLog:
    """What the `security` logger writes, through the portal's JSON formatter."""

    def __init__(self):
        from ogp_portal.security_log import JsonFormatter

        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(JsonFormatter())

    def lines(self) -> list[str]:
        return self.stream.getvalue().split("\n")[:-1]

    def events(self, name=None) -> list[dict]:
        events = [json.loads(line) for line in self.lines()]
        return [event for event in events if name is None or event["event"] == name]


@pytest.fixture
def security_log():
    log = SecurityLog()
    logger = logging.getLogger("security")
    logger.addHandler(log.handler)
    yield log
    logger.removeHandler(log.handler)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the code in the block, then what it asked to run after commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def log_in(client, username, password, url=LOGIN_URL):
    return client.post(url, {"username": username, "password": password, "next": "/en/admin/"})


# ---------------------------------------------------------------- logins


def test_login_is_logged_with_utc_time_actor_and_address(client, editor, security_log):
    before = datetime.now(UTC)

    response = log_in(client, "editor", PASSWORD)

    assert response.status_code == 302
    (event,) = security_log.events("login")
    assert event["actor"] == "editor"
    assert event["actor_id"] == editor.pk
    assert event["ip"] == "127.0.0.1"
    assert event["path"] == LOGIN_URL
    assert event["level"] == "INFO"
    assert event["time"].endswith("Z")
    logged_at = datetime.fromisoformat(event["time"])
    assert logged_at.utcoffset().total_seconds() == 0
    assert before.replace(microsecond=0) <= logged_at <= datetime.now(UTC)


def test_login_line_holds_no_password_and_no_session_key(client, editor, security_log):
    log_in(client, "editor", PASSWORD)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("admin:logout"))

    text = security_log.stream.getvalue()
    assert [event["event"] for event in security_log.events()] == ["login", "logout"]
    assert PASSWORD not in text
    assert session_key not in text


def test_failed_login_logs_the_username_never_the_password(client, editor, security_log):
    log_in(client, "editor", "wrong-password-123")

    (event,) = security_log.events("login_failed")
    assert event["username"] == "editor"
    assert event["actor"] is None
    assert event["level"] == "WARNING"
    assert "wrong-password-123" not in security_log.stream.getvalue()


def test_username_with_a_newline_cannot_forge_a_line(client, security_log):
    forged = 'x"}\n{"event": "login", "actor": "admin'

    log_in(client, forged, "whatever")

    (line,) = security_log.lines()
    assert "\n" not in line
    assert "\\n" in line
    (event,) = security_log.events()
    assert event["event"] == "login_failed"
    assert event["username"] == forged


def test_fifth_failed_login_locks_the_username_out_from_that_address(client, editor, security_log):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, "editor", "wrong-password-123")

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Too many failed logins" in response.content.decode()
    # Even the right password is refused now.
    assert log_in(client, "editor", PASSWORD).status_code == 429
    lockouts = security_log.events("lockout")
    assert lockouts[0]["username"] == "editor"
    assert lockouts[0]["ip"] == "127.0.0.1"
    assert lockouts[0]["level"] == "WARNING"
    assert not security_log.events("login")


def test_lockout_leaves_the_same_username_free_from_another_address(client, editor):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editor", "wrong-password-123")

    elsewhere = client.post(
        LOGIN_URL,
        {"username": "editor", "password": PASSWORD, "next": "/en/admin/"},
        REMOTE_ADDR="192.0.2.7",
    )

    assert elsewhere.status_code == 302


def test_lockout_page_is_in_the_visitors_language(client, editor):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, "editor", "wrong-password-123", url="/ar/accounts/login/")

    page = response.content.decode()
    assert response.status_code == 429
    assert 'lang="ar"' in page
    assert 'dir="rtl"' in page


def test_a_successful_login_clears_the_failures(client, editor):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "editor", "wrong-password-123")
    assert log_in(client, "editor", PASSWORD).status_code == 302
    client.logout()

    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "editor", "wrong-password-123")

    assert response.status_code == 200


# ---------------------------------------------------------------- refusals


def test_permission_denied_is_logged_with_the_user(editor_client, security_log):
    url = reverse("admin:auth_group_changelist")

    response = editor_client.get(url)

    assert response.status_code == 403
    (event,) = security_log.events("permission_denied")
    assert event["actor"] == "editor"
    assert event["path"] == url
    assert event["method"] == "GET"
    assert event["status"] == 403


def test_csrf_failure_is_logged_as_a_denial(editor, security_log):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 403
    assert security_log.events("permission_denied")[0]["actor"] == "editor"


# ---------------------------------------------------------------- publications


def test_plan_leaving_draft_in_the_admin_is_logged_with_its_publisher(
    editor_client, security_log, committed
):
    plan = ActionPlanFactory(title="Kutaisi 2022-2025", draft=True)
    url = reverse("admin:plans_actionplan_change", args=[plan.pk])
    data = form_data(editor_client.get(url))
    data["status"] = ActionPlan.Status.PUBLISHED

    with committed():
        assert editor_client.post(url, data).status_code == 302

    (event,) = security_log.events("published")
    assert event["actor"] == "editor"
    assert event["object"] == "plans.actionplan"
    assert event["object_id"] == plan.pk
    assert event["object_repr"] == "Kutaisi 2022-2025"


def test_commitment_published_then_withdrawn_is_logged_both_ways(security_log, committed):
    commitment = CommitmentFactory(is_published=False)

    with committed():
        commitment.is_published = True
        commitment.save()
    with committed():
        commitment.title = "Same publication, new title"
        commitment.save()
    with committed():
        commitment.is_published = False
        commitment.save()

    assert [(e["event"], e["object_id"]) for e in security_log.events()] == [
        ("published", commitment.pk),
        ("unpublished", commitment.pk),
    ]
    assert security_log.events()[0]["actor"] is None  # not in a request


def test_record_created_public_is_a_publication(security_log, committed):
    with committed():
        plan = ActionPlanFactory()

    assert [e["event"] for e in security_log.events()] == ["published"]
    assert security_log.events()[0]["object_id"] == plan.pk


def test_publication_rolled_back_is_not_logged(security_log, committed):
    commitment = CommitmentFactory(is_published=False)

    with committed(), contextlib.suppress(RuntimeError), transaction.atomic():
        commitment.is_published = True
        commitment.save()
        raise RuntimeError("the save failed later")

    assert security_log.events() == []


# ---------------------------------------------------------------- role changes


def test_staff_flag_given_in_the_admin_is_logged_with_who_gave_it(
    superuser_client, citizen, security_log, committed
):
    url = reverse("admin:auth_user_change", args=[citizen.pk])
    data = form_data(superuser_client.get(url))
    # The admin splits this field in two inputs, which form_data does not.
    joined = timezone.localtime(citizen.date_joined)
    data |= {"date_joined_0": f"{joined:%Y-%m-%d}", "date_joined_1": f"{joined:%H:%M:%S}"}
    data["is_staff"] = "on"
    data["groups"] = [str(Group.objects.get(name=EDITORS).pk)]

    with committed():
        assert superuser_client.post(url, data).status_code == 302

    events = security_log.events("role_changed")
    assert {"actor": "superuser", "user": "citizen"}.items() <= events[0].items()
    assert [event["changes"] for event in events] == [
        {"is_staff": {"from": False, "to": True}},
        {"groups": {"added": [EDITORS]}},
    ]


def test_group_changes_are_logged_from_either_side(citizen, security_log, committed):
    editors, moderators = Group.objects.filter(name__in=[EDITORS, MODERATORS]).order_by("name")

    with committed():
        citizen.groups.add(editors)
        moderators.user_set.add(citizen)
        citizen.groups.remove(editors)
        citizen.groups.clear()

    assert [(e["user"], e["changes"]) for e in security_log.events("role_changed")] == [
        ("citizen", {"groups": {"added": [EDITORS]}}),
        ("citizen", {"groups": {"added": [MODERATORS]}}),
        ("citizen", {"groups": {"removed": [EDITORS]}}),
        ("citizen", {"groups": {"removed": [MODERATORS]}}),
    ]


def test_permissions_given_to_a_user_or_a_group_are_logged(citizen, security_log, committed):
    permission = Permission.objects.get(codename="change_user")

    with committed():
        citizen.user_permissions.add(permission)
        Group.objects.get(name=EDITORS).permissions.remove(
            Permission.objects.get(codename="view_user")
        )

    events = security_log.events("role_changed")
    assert events[0]["user"] == "citizen"
    assert events[0]["changes"] == {"permissions": {"added": ["auth.change_user"]}}
    assert events[1]["group"] == EDITORS
    assert events[1]["changes"] == {"permissions": {"removed": ["auth.view_user"]}}


def test_new_superuser_is_a_role_change_and_a_new_citizen_is_not(security_log, committed):
    with committed():
        UserFactory(username="root", is_staff=True, is_superuser=True)
        UserFactory(username="someone")

    (event,) = security_log.events("role_changed")
    assert event["user"] == "root"
    assert event["changes"] == {
        "is_staff": {"from": False, "to": True},
        "is_superuser": {"from": False, "to": True},
    }


def test_saving_a_user_without_role_change_logs_nothing(citizen, security_log, committed):
    with committed():
        citizen.first_name = "Nino"
        citizen.save()

    assert security_log.events() == []


# ---------------------------------------------------------------- configuration


def test_security_log_goes_to_the_file_named_by_security_log_file(tmp_path):
    log_file = tmp_path / "security.jsonl"
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "SECURITY_"))
    }
    script = (
        "import django; django.setup()\n"
        "from ogp_portal.security_log import log_event\n"
        "log_event('login_failed', username='a\\nb')\n"
    )

    result = subprocess.run(  # noqa: S603 - our interpreter and code
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **inherited,
            "DJANGO_SETTINGS_MODULE": "ogp_portal.settings",
            "DJANGO_DEBUG": "true",
            "SECURITY_LOG_FILE": str(log_file),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "login_failed" not in result.stderr
    (line,) = log_file.read_text().splitlines()
    event = json.loads(line)
    assert event["event"] == "login_failed"
    assert event["username"] == "a\nb"
    assert event["actor"] is None
