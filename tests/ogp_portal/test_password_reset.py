"""A forgotten password is reset from a link sent by email (ogp_portal/accounts.py):
Django's tokens, the email in the background with a link on PORTAL_BASE_URL,
and a request page that never tells whether an address has an account."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, CitizenFactory, UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
DONE = reverse("accounts:password_reset_done")
COMPLETE = reverse("accounts:password_reset_complete")
LOGIN = reverse("accounts:login")
NEW_PASSWORD = "another-long-civic-passphrase-2025"
BASE_URL = "https://ogp.example.gov"


@pytest.fixture(autouse=True)
def portal(settings):
    cache.clear()  # the rate limits count in the cache
    settings.PORTAL_BASE_URL = BASE_URL
    settings.PORTAL_NAME = "Kutaisi & Partners"  # plain text: no "&amp;" in emails
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]


@pytest.fixture
def lela(db):
    return CitizenFactory(email="Lela@Example.org")


@pytest.fixture
def security_events():
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("security")
    logger.addHandler(handler)
    yield lambda name: [
        {"event": r.getMessage(), **r.security} for r in records if r.getMessage() == name
    ]
    logger.removeHandler(handler)


def ask_reset(client, committed, email, **extra):
    with committed(execute=True):
        return client.post(RESET, {"email": email, "website": ""}, **extra)


def reset_path(message) -> str:
    match = re.search(
        rf"{re.escape(BASE_URL)}(/\S+/accounts/password/reset/\S+/\S+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def set_new_password(client, path, password=NEW_PASSWORD):
    """Follow the emailed link (it moves the token into the session), then post."""
    landing = client.get(path)
    assert landing.status_code == 302
    form_url = landing["Location"]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def log_in(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def test_login_page_links_to_the_password_reset(client):
    page = client.get(LOGIN).content.decode()

    assert f'href="{RESET}"' in page
    assert "ask an administrator" not in page


def test_reset_page_has_one_labelled_email_field(client):
    response = client.get(RESET)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert '<label for="id_email">' in page
    assert 'name="website"' in page  # the honeypot


def test_reset_request_emails_a_link_under_the_portal_address_in_any_case(
    client, lela, django_capture_on_commit_callbacks
):
    response = ask_reset(
        client, django_capture_on_commit_callbacks, "lela@EXAMPLE.org", HTTP_HOST="evil.example"
    )

    assert response.status_code == 302
    assert response["Location"] == DONE
    assert [message.to for message in mail.outbox] == [[lela.email]]
    body = mail.outbox[0].body
    assert reset_path(mail.outbox[0]).startswith("/en/accounts/password/reset/")
    assert "evil.example" not in body  # never the Host header the request named
    assert "Kutaisi & Partners" in body
    assert mail.outbox[0].subject == "Reset your password on Kutaisi & Partners"


def test_following_the_link_sets_a_password_that_logs_in(
    client, lela, django_capture_on_commit_callbacks
):
    ask_reset(client, django_capture_on_commit_callbacks, "lela@example.org")
    visitor = Client()

    response = set_new_password(visitor, reset_path(mail.outbox[0]))

    assert response.status_code == 302
    assert response["Location"] == COMPLETE
    assert "_auth_user_id" not in visitor.session  # they log in themselves next
    assert visitor.get(COMPLETE).status_code == 200
    assert log_in(Client(), "lela@example.org", PASSWORD).status_code == 200  # old one refused
    logged_in = log_in(visitor, "Lela@example.org", NEW_PASSWORD)
    assert logged_in.status_code == 302
    assert visitor.session["_auth_user_id"] == str(lela.pk)


def test_unknown_address_gets_the_same_done_page_and_no_email(
    client, lela, django_capture_on_commit_callbacks
):
    known = ask_reset(Client(), django_capture_on_commit_callbacks, "lela@example.org")
    mail.outbox.clear()

    unknown = ask_reset(client, django_capture_on_commit_callbacks, "nobody@example.org")

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == DONE
    assert mail.outbox == []
    assert client.get(DONE).content == Client().get(DONE).content


@pytest.mark.parametrize("unusable_password", [False, True])
def test_inactive_accounts_and_unusable_passwords_get_no_email(
    client, django_capture_on_commit_callbacks, unusable_password
):
    # An inactive account: e.g. a citizen who never confirmed their email.
    user = UserFactory(email="sleeper@example.org", is_active=unusable_password)
    if unusable_password:
        user.set_unusable_password()
        user.save()

    response = ask_reset(client, django_capture_on_commit_callbacks, "sleeper@example.org")

    assert response["Location"] == DONE
    assert mail.outbox == []


def test_the_link_works_once(client, lela, django_capture_on_commit_callbacks):
    ask_reset(client, django_capture_on_commit_callbacks, "lela@example.org")
    path = reset_path(mail.outbox[0])
    set_new_password(Client(), path)

    again = Client().get(path)

    page = again.content.decode()
    assert again.status_code == 200
    assert "This link does not work" in page
    assert f'href="{RESET}"' in page
    assert 'name="new_password1"' not in page
    lela.refresh_from_db()
    assert lela.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "uidb64, token",
    [("MQ", "garbage"), ("%%%", "x-y"), ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "set-password")],
)
def test_garbage_links_show_the_invalid_link_page(client, lela, uidb64, token):
    url = reverse("accounts:password_reset_confirm", args=[uidb64, token])

    response = client.get(url)

    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()
    post = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert post.status_code == 200
    lela.refresh_from_db()
    assert lela.check_password(PASSWORD)


def test_a_weak_new_password_is_refused_with_a_linked_message(
    client, lela, django_capture_on_commit_callbacks
):
    ask_reset(client, django_capture_on_commit_callbacks, "lela@example.org")
    visitor = Client()

    response = set_new_password(visitor, reset_path(mail.outbox[0]), password="123")

    page = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="id_new_password2_errors' in page
    lela.refresh_from_db()
    assert lela.check_password(PASSWORD)


def test_a_malformed_address_is_refused_with_400(client):
    response = client.post(RESET, {"email": "not an address", "website": ""})

    assert response.status_code == 400
    assert "not an address" in response.content.decode()  # what they typed is kept


def test_honeypot_filled_sends_nothing(client, lela, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": "lela@example.org", "website": "spam"})

    assert response.status_code == 400
    assert mail.outbox == []


def test_reset_requests_are_rate_limited(client, lela, settings):
    settings.PARTICIPATION_RATE_PER_ADDRESS = "2/m"
    cache.clear()

    statuses = [
        client.post(RESET, {"email": "lela@example.org", "website": ""}).status_code
        for _ in range(4)
    ]

    assert statuses == [302, 302, 429, 429]


def test_reset_request_is_logged_without_the_address(
    client, lela, security_events, django_capture_on_commit_callbacks
):
    ask_reset(client, django_capture_on_commit_callbacks, "lela@example.org")

    [event] = security_events("password_reset_requested")
    assert "example.org" not in repr(event).lower()
    assert event["actor"] is None


def test_reset_completion_is_logged_as_the_account(
    client, lela, security_events, django_capture_on_commit_callbacks
):
    ask_reset(client, django_capture_on_commit_callbacks, "lela@example.org")

    set_new_password(Client(), reset_path(mail.outbox[0]))

    [event] = security_events("password_reset_completed")
    assert event["actor_id"] == lela.pk
    assert "example.org" not in repr(event).lower()
    assert get_user_model().objects.get(pk=lela.pk).check_password(NEW_PASSWORD)
