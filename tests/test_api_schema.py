"""Schemathesis against the API's own OpenAPI schema, on the demo data:
no server error, and every answer (status, content type, headers, body)
matches what the schema promises; invalid input is refused with a 4xx.

One check is left out: "schema-valid data is accepted". A filter naming a
plan, policy area or institution that does not exist (`?plan=zzz`) is
well-formed by the schema, which cannot list the slugs, yet the API refuses
it with 400 and a message, as the list page does; that is intended.
"""

import os

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ogp_portal.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture(scope="module")
def keep_the_test_connection():
    """Requests go through the real WSGI handler, which closes the database
    connection after each one: that would end the test's transaction (Django's
    test client unhooks this too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, keep_the_test_connection):
    """The demo data, loaded once for every operation and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        with open(os.devnull, "w") as devnull:
            call_command("load_demo", stdout=devnull)
        yield
        transaction.set_rollback(True)


@schema.parametrize()
@settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_match_the_schema(case, demo_data, db):
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
