"""Browser tests: Debian's Chromium driven by Playwright, against a live server.

Never `playwright install`: the tests use /usr/bin/chromium (make system-deps).
"""

import importlib
import os
import shutil
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections

# Playwright's sync API runs an event loop in the test thread; the test's own
# database work (loading the demo data) is still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def restore_staff_groups():
    """Put back the staff groups, and their monitoring and participation permissions,
    that a live-server test's flush removed.

    They come from data migrations, which a flush does not replay; and
    `serialized_rollback` cannot help here: once Playwright's event loop runs,
    Django hands the test a new connection object without the serialized copy.
    """
    if Group.objects.exists():
        return
    # The migrations switch each app's `models_module` on and off to create
    # permissions; on the live registry, put back what was there, or later
    # flushes would skip those apps' content types and permissions.
    models_modules = {config: config.models_module for config in django_apps.get_app_configs()}
    try:
        staff_groups = importlib.import_module("plans.migrations.0002_staff_groups")
        staff_groups.create_groups(django_apps, None)
        report_permissions = importlib.import_module(
            "monitoring.migrations.0003_report_permissions"
        )
        report_permissions.grant(django_apps, None)
        participation_permissions = importlib.import_module(
            "consultations.migrations.0003_participation_permissions"
        )
        participation_permissions.grant(django_apps, None)
    finally:
        for config, module in models_modules.items():
            config.models_module = module


@pytest.fixture(scope="module", autouse=True)
def staff_groups_for_later_tests(django_db_blocker):
    """After this module's tests flushed the database, for the tests after them."""
    yield
    with django_db_blocker.unblock():
        restore_staff_groups()


@pytest.fixture(scope="session", autouse=True)
def database_connections_closed_before_playwright_stops(browser):
    """Close, at the end, the connections the browser tests opened.

    While Playwright's event loop runs, Django keeps the test thread's
    connections per context, apart from the ones pytest-django closes before
    it drops the test database; left open, PostgreSQL refuses the drop."""
    yield
    connections.close_all()


@pytest.fixture
def demo_site(transactional_db, live_server, settings):
    """The live server's address, with the demo data loaded."""
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    restore_staff_groups()
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)
    return live_server.url


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
