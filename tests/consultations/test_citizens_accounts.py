"""Citizens' sign-up with double opt-in, login by email, and the profile."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from consultations.models import CitizenProfile
from tests.factories import PASSWORD, CitizenFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("accounts:signup")
DONE = reverse("accounts:signup_done")
PROFILE = reverse("accounts:profile")
LOGIN = reverse("accounts:login")
NEW_PASSWORD = "a-long-civic-passphrase-2024"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # the sign-up's rate limits count in the cache


def signup_data(**changes):
    return {
        "email": "Nino@Example.org",
        "display_name": "Nino from Kutaisi",
        "password": NEW_PASSWORD,
        "phone": "",
        "consent": "on",
        "website": "",
    } | changes


def sign_up(client, committed, **changes):
    with committed(execute=True):
        response = client.post(SIGNUP, signup_data(**changes))
    return response


def confirmation_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+/accounts/signup/confirm/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_opens_an_inactive_account_and_emails_a_confirmation_link(
    client, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks, phone="+995 32 2 00-00-00")

    assert response.status_code == 302
    assert response["Location"] == DONE
    user = get_user_model().objects.get(email__iexact="nino@example.org")
    assert not user.is_active
    assert "@" not in user.username  # logs show usernames, never an email address
    profile = user.citizen_profile
    assert profile.display_name == "Nino from Kutaisi"
    assert profile.phone == "+995322000000"
    assert profile.email_confirmed_at is None
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "/en/accounts/signup/confirm/" in mail.outbox[0].body
    assert client.get(DONE).status_code == 200


def test_signup_confirmation_get_shows_a_button_and_post_opens_the_account(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    path = confirmation_path(mail.outbox[0])

    page = client.get(path)
    user = get_user_model().objects.get(email__iexact="nino@example.org")
    assert page.status_code == 200
    assert "<form" in page.content.decode()
    assert not get_user_model().objects.get(pk=user.pk).is_active  # a GET opens nothing

    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    user.refresh_from_db()
    assert user.is_active
    assert user.citizen_profile.email_confirmed_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(PROFILE).status_code == 200


def test_signup_confirmation_link_works_once(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    path = confirmation_path(mail.outbox[0])
    client.post(path)

    again = Client().get(path)

    assert again.status_code == 400
    assert reverse("accounts:signup") in again.content.decode()


def test_signup_confirmation_link_expires(client, settings, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    path = confirmation_path(mail.outbox[0])
    settings.SIGNUP_CONFIRMATION_MAX_AGE = -1

    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400
    assert not get_user_model().objects.get(email__iexact="nino@example.org").is_active


def test_signup_confirmation_link_tampered_with_is_refused(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    path = confirmation_path(mail.outbox[0])
    tampered = path[:-3] + ("a" if path[-3] != "a" else "b") + path[-2:]
    other_user = re.sub(r"confirm/[^/]+/", "confirm/OTk5OQ/", path)

    assert client.get(tampered).status_code == 400
    assert client.post(tampered).status_code == 400
    assert client.get(other_user).status_code == 400
    assert client.get("/en/accounts/signup/confirm/!!/x-y/").status_code == 400


def test_signup_with_a_registered_email_looks_the_same_and_tells_the_owner(
    client, django_capture_on_commit_callbacks
):
    owner = CitizenFactory(email="taken@example.org")

    response = sign_up(client, django_capture_on_commit_callbacks, email="TAKEN@example.org")

    assert response.status_code == 302
    assert response["Location"] == DONE
    assert get_user_model().objects.filter(email__iexact="taken@example.org").count() == 1
    assert [message.to for message in mail.outbox] == [[owner.email]]
    assert "/signup/confirm/" not in mail.outbox[0].body
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)  # nothing changed


def test_signup_again_before_confirming_sends_a_new_link(
    client, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)
    sign_up(client, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 2
    assert "/signup/confirm/" in mail.outbox[1].body
    assert get_user_model().objects.filter(email__iexact="nino@example.org").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password": "password"}, "password"),
        ({"password": "nino@example.org"}, "password"),
        ({"email": "not-an-address"}, "email"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "me@example.org"}, "display_name"),
        ({"phone": "599 12 34 56"}, "phone"),
        ({"sms_notifications": "on"}, "phone"),
        ({"consent": ""}, "consent"),
    ],
)
def test_signup_refuses_bad_input_and_keeps_what_was_typed(client, changes, field):
    response = client.post(SIGNUP, signup_data(**changes))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Nino from Kutaisi" in response.content.decode() or field == "display_name"
    assert f'aria-describedby="id_{field}_errors' in response.content.decode()
    assert not get_user_model().objects.filter(email__iexact="nino@example.org").exists()


def test_signup_honeypot_filled_in_is_refused(client):
    response = client.post(SIGNUP, signup_data(website="http://spam.example"))

    assert response.status_code == 400
    assert not CitizenProfile.objects.exists()


def test_signup_flood_is_cut_off(client, settings):
    settings.PARTICIPATION_RATE_PER_ACCOUNT = "3/m"
    statuses = [
        client.post(SIGNUP, signup_data(email=f"n{i}@example.org")).status_code for i in range(5)
    ]

    assert statuses[:3] == [302, 302, 302]
    assert statuses[3:] == [429, 429]


def test_citizen_logs_in_with_their_email_address_in_any_case(client):
    citizen = CitizenFactory(email="Lela@Example.org")

    response = client.post(LOGIN, {"username": "lela@EXAMPLE.org", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_unconfirmed_account_cannot_log_in(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)

    response = client.post(LOGIN, {"username": "nino@example.org", "password": NEW_PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_by_email_are_counted_by_axes(client):
    from axes.models import AccessAttempt

    citizen = CitizenFactory(email="lela@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "lela@example.org", "password": "wrong"})

    response = client.post(LOGIN, {"username": "lela@example.org", "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert response.status_code in (403, 429)
    assert AccessAttempt.objects.filter(username=citizen.username).exists()


def test_profile_edits_name_phone_and_text_messages(client_for):
    citizen = CitizenFactory()
    client = client_for(citizen)

    response = client.post(
        PROFILE,
        {
            "display_name": "Lela",
            "phone": "+995 599 12 34 56",
            "sms_notifications": "on",
            "language": "ka",
        },
    )

    assert response.status_code == 302
    profile = CitizenProfile.objects.get(user=citizen)
    assert (profile.display_name, profile.phone, profile.sms_notifications, profile.language) == (
        "Lela",
        "+995599123456",
        True,
        "ka",
    )


def test_profile_offers_each_language_by_its_own_name_and_refuses_others(client_for):
    citizen = CitizenFactory()
    client = client_for(citizen)

    page = client.get(PROFILE).content.decode()
    refused = client.post(PROFILE, {"display_name": "Lela", "phone": "", "language": "de"})

    assert '<option value="ar">العربيّة</option>' in page
    assert '<option value="ka">ქართული</option>' in page
    assert refused.status_code == 400
    assert CitizenProfile.objects.get(user=citizen).language == "en"


def test_signup_keeps_the_page_language_for_the_emails(client, django_capture_on_commit_callbacks):
    with translation.override("ar"):
        arabic_signup = reverse("accounts:signup")
        expected_subject = gettext("Confirm your account on %(portal)s") % {
            "portal": settings.PORTAL_NAME
        }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(arabic_signup, signup_data())

    assert response.status_code == 302
    assert CitizenProfile.objects.get().language == "ar"
    assert not expected_subject.startswith("Confirm")
    assert mail.outbox[0].subject == expected_subject
    assert "/ar/accounts/signup/confirm/" in mail.outbox[0].body


def test_signup_attempt_on_a_registered_address_tells_the_owner_in_their_language(
    client, django_capture_on_commit_callbacks
):
    CitizenFactory(email="nino@example.org", profile__language="fr")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data(email="nino@example.org"))

    with translation.override("fr"):
        expected = gettext("Sign-up attempt on %(portal)s") % {"portal": settings.PORTAL_NAME}
    assert expected.startswith("Tentative")
    assert mail.outbox[0].subject == expected


def test_profile_refuses_a_bad_phone_number_with_400(client_for):
    citizen = CitizenFactory()

    response = client_for(citizen).post(
        PROFILE,
        {"display_name": "Lela", "phone": "12", "sms_notifications": "on", "language": "en"},
    )

    assert response.status_code == 400
    assert "Lela" in response.content.decode()


def test_profile_links_to_export_delete_password_and_two_step(client_for):
    page = client_for(CitizenFactory()).get(PROFILE).content.decode()

    for name in ("data_export", "delete", "password_change", "totp_setup"):
        assert reverse(f"accounts:{name}") in page


def test_account_pages_send_anonymous_visitors_to_login(client):
    for name in ("profile", "data_export", "delete"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")


def test_staff_without_a_profile_sees_their_account_links(client_for):
    staff = UserFactory(is_staff=True)

    page = client_for(staff).get(PROFILE)

    assert page.status_code == 200
    assert reverse("accounts:totp_setup") in page.content.decode()


def test_footer_offers_sign_up_to_visitors_and_the_profile_to_signed_in_people(client, client_for):
    assert SIGNUP in client.get(reverse("plans:home")).content.decode()
    assert PROFILE in client_for(CitizenFactory()).get(reverse("plans:home")).content.decode()


def test_privacy_notice_explains_what_deletion_does(client):
    page = client.get(reverse("accounts:privacy"))

    assert page.status_code == 200
    assert "Former participant" in page.content.decode()
