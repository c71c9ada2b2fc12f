"""Production settings pass Django's deployment checklist, and https is on by default.

`manage.py check --deploy` runs in a fresh interpreter with a production-like
environment and nothing else: the caller's DJANGO_* variables are dropped and
the project's .env is not read, so a developer's own settings cannot change
the outcome.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IGNORE_DOT_ENV = "import environ; environ.Env.read_env = staticmethod(lambda *a, **k: None); "
MANAGE = IGNORE_DOT_ENV + (
    "import sys; from django.core.management import execute_from_command_line; "
    "execute_from_command_line(sys.argv)"
)
PRINT_SETTINGS = IGNORE_DOT_ENV + (
    "import json, sys; from django.conf import settings; "
    "print(json.dumps({name: getattr(settings, name, None) for name in sys.argv[1:]}))"
)
DEPLOY_CHECK = ["check", "--deploy", "--fail-level", "WARNING"]
# The warnings `check --deploy` gives when https is off: no HSTS, no
# redirect to https, session and CSRF cookies sent over http.
HTTPS_WARNINGS = ["security.W004", "security.W008", "security.W012", "security.W016"]


def production_environment(**variables):
    """The production-like variables, changed by `variables` (None: unset)."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "CACHE_", "EMAIL_", "EMBED_"))
    }
    environment = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "ogp_portal.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "ogp.example.org",
        "DJANGO_HTTPS": "true",
        **variables,
    }
    return {name: value for name, value in environment.items() if value is not None}


def run_python(program, *args, **variables):
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", program, *args],
        cwd=ROOT,
        env=production_environment(**variables),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_settings(*names, **variables):
    result = run_python(PRINT_SETTINGS, *names, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("proxy", [{}, {"DJANGO_BEHIND_PROXY": "true"}], ids=["direct", "proxy"])
def test_deploy_check_passes_with_the_production_settings(proxy):
    result = run_python(MANAGE, *DEPLOY_CHECK, **proxy)

    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_with_https_off():
    result = run_python(MANAGE, *DEPLOY_CHECK, DJANGO_HTTPS="false")

    assert result.returncode != 0
    for warning in HTTPS_WARNINGS:
        assert warning in result.stderr, warning


def test_deploy_check_fails_with_debug_on():
    result = run_python(MANAGE, *DEPLOY_CHECK, DJANGO_DEBUG="true")

    assert result.returncode != 0
    assert "security.W018" in result.stderr


def test_https_is_on_by_default_without_debug():
    values = production_settings(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_NAME",
        "LANGUAGE_COOKIE_SECURE",
        "LANGUAGE_COOKIE_NAME",
        "MESSAGE_COOKIE_NAME",
        "SECURE_PROXY_SSL_HEADER",
        DJANGO_HTTPS=None,
    )

    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "LANGUAGE_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_NAME": "__Host-django_language",
        "MESSAGE_COOKIE_NAME": "__Host-messages",
        # Not behind a proxy unless told: a client could forge the header.
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_https_is_off_by_default_in_debug():
    values = production_settings(
        "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
        DJANGO_HTTPS=None, DJANGO_DEBUG="true",
    )  # fmt: skip

    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
    }


def test_behind_a_proxy_the_forwarded_protocol_is_trusted():
    values = production_settings(
        "SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST", DJANGO_BEHIND_PROXY="true"
    )

    assert values == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "USE_X_FORWARDED_HOST": False,
    }


@pytest.fixture
def https_on(settings):
    """The production https settings, in this process (the tests run over http)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


def test_http_requests_are_redirected_to_https(client, https_on):
    response = client.get("/en/commitments/?page=2")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/en/commitments/?page=2"


def test_load_balancers_health_check_answers_over_http(client, https_on):
    assert client.get("/healthz").status_code == 200


def test_https_answers_carry_hsts(client, https_on):
    response = client.get("/healthz", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_proxys_forwarded_protocol_counts_as_https(client, https_on):
    response = client.get("/healthz", headers={"x-forwarded-proto": "https"})

    assert response.status_code == 200
    assert "Strict-Transport-Security" in response
