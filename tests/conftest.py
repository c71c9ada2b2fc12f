"""Fixtures shared by the whole suite: people in each role and their clients.

Roles follow the staff groups of plans/migrations/0002_staff_groups.py:
- `editor`: staff in Editors (writes plans, commitments, monitoring bodies,
  meetings); not a superuser, so tests see the group's real permissions;
- `moderator`: staff in Moderators (reads plans, manages the co-creation record);
- `monitor`: in Monitors, not staff (files reports, never uses the admin);
- `citizen`: a plain account;
- `superuser`: everything.
`<role>_client` is a test client logged in as that role; `client_for(user)`
logs in anyone else (a second editor, say).
"""

import pytest
from django.test import Client
from django.utils import translation

from tests.factories import EDITORS, MODERATORS, MONITORS, UserFactory


@pytest.fixture(autouse=True)
def default_language():
    """Start and end every test in the default language.

    A request through LocaleMiddleware leaves its language active in the
    thread; without this, a test visiting /fr/ would turn the next one French.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", is_staff=True, groups=[EDITORS])


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator", is_staff=True, groups=[MODERATORS])


@pytest.fixture
def monitor(db):
    return UserFactory(username="monitor", groups=[MONITORS])


@pytest.fixture
def citizen(db):
    return UserFactory(username="citizen")


@pytest.fixture
def superuser(db):
    return UserFactory(username="superuser", is_staff=True, is_superuser=True)


@pytest.fixture
def client_for(db):
    """Return a function giving a fresh client logged in as the given user."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def editor_client(client_for, editor):
    return client_for(editor)


@pytest.fixture
def moderator_client(client_for, moderator):
    return client_for(moderator)


@pytest.fixture
def monitor_client(client_for, monitor):
    return client_for(monitor)


@pytest.fixture
def citizen_client(client_for, citizen):
    return client_for(citizen)


@pytest.fixture
def superuser_client(client_for, superuser):
    return client_for(superuser)


def _flushes_the_database(item) -> bool:
    """A transactional test without `serialized_rollback` empties the tables at its end."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("serialized_rollback"):
        return False
    transactional = marker is not None and marker.kwargs.get("transaction")
    fixtures = getattr(item, "fixturenames", ())
    return bool(transactional or "transactional_db" in fixtures or "live_server" in fixtures)


def pytest_collection_modifyitems(config, items):
    """Run the tests that flush the database after all the others, and the
    browser tests last.

    `serialized_rollback` tests (the backup and mail-queue tests) restore the
    database from a copy whose content-type ids follow the migrations; after a
    flush, Django recreates the content types in another order, and restoring
    the copy then collides with them. Once Playwright's event loop has run,
    Django also gives the test thread a new connection without that copy.
    """
    items.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None,
            _flushes_the_database(item),
        )
    )
