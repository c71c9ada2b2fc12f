"""Site accounts (ogp_portal/accounts.py): one login for monitors and staff,
django-axes lockout, the optional second factor (an authenticator app), and
STAFF_REQUIRE_TOTP, which keeps unverified staff out of the admin."""

import json
import logging
import re
from urllib.parse import unquote

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ogp_portal.accounts import PENDING_KEY
from tests.factories import MONITORS, PASSWORD, CitizenFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")
SETUP = reverse("accounts:totp_setup")
DISABLE = reverse("accounts:totp_disable")
ADMIN = reverse("admin:index")
HOME = reverse("plans:home")


def log_in(client, username, password=PASSWORD, **data):
    return client.post(LOGIN, {"username": username, "password": password, **data})


def code_for(device, *, steps_ahead=0) -> str:
    """The device's code now, or `steps_ahead` periods later (the tolerance
    accepts the next one, and a code already used is refused)."""
    return f"{totp(device.bin_key, drift=steps_ahead):06d}"


def wrong_code_for(device) -> str:
    right = {code_for(device, steps_ahead=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


def device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def no_otp_throttle(settings):
    """django-otp makes the try after a wrong code wait a second: not in these tests."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def security_events():
    """The security log's events, as dictionaries."""
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("security")
    logger.addHandler(handler)
    yield lambda name: [
        {"event": r.getMessage(), **r.security} for r in records if r.getMessage() == name
    ]
    logger.removeHandler(handler)


# ---------------------------------------------------------------- password


def test_login_page_is_in_the_site_design_with_labelled_fields(client):
    response = client.get(LOGIN)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in page
    assert '<label for="id_username">Username or email address</label>' in page
    assert 'autocomplete="username"' in page
    assert 'autocomplete="current-password"' in page


def test_login_of_a_monitor_lands_on_the_monitoring_pages_or_home(client, monitor):
    response = log_in(client, "monitor")

    assert response.status_code == 302
    assert response["Location"] in ("/en/monitoring/", HOME)
    assert signed_in_user_id(client) == str(monitor.pk)


def test_login_of_staff_lands_on_the_admin(client, editor):
    response = log_in(client, "editor")

    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_login_with_the_email_address_works(client):
    user = UserFactory(username="amina", email="Amina@example.org", groups=[MONITORS])

    response = log_in(client, "amina@example.org")

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


def test_login_with_a_wrong_password_is_refused_with_a_linked_message(client, monitor):
    response = log_in(client, "monitor", "wrong-password-123")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="form-errors" role="alert"' in page
    assert signed_in_user_id(client) is None


def test_login_follows_next_on_this_site(client, monitor):
    response = log_in(client, "monitor", next="/en/commitments/")

    assert response["Location"] == "/en/commitments/"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "https:evil.example", "javascript:x"]
)
def test_login_ignores_next_to_another_site(client, monitor, next_url):
    page = client.get(LOGIN, {"next": next_url}).content.decode()
    response = log_in(client, "monitor", next=next_url)

    assert 'name="next"' not in page  # not carried in the form
    assert response["Location"] in ("/en/monitoring/", HOME)


def test_wrong_passwords_up_to_the_limit_lock_the_login_out(client, monitor):
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        response = log_in(client, "monitor", "wrong-password-123")

    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert log_in(client, "monitor").status_code == 429
    assert signed_in_user_id(client) is None


def test_logout_takes_a_post_and_goes_home(client_for, monitor):
    client = client_for(monitor)

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response["Location"] == HOME
    assert signed_in_user_id(client) is None


# ---------------------------------------------------------------- admin hand-over


def test_admin_login_hands_over_to_the_site_login_keeping_next(client):
    response = client.get(reverse("admin:login"), {"next": "/en/admin/plans/"})

    assert response.status_code == 302
    assert unquote(response["Location"]) == f"{LOGIN}?next=/en/admin/plans/"


def test_admin_login_without_next_hands_over_with_the_admin_index(client):
    response = client.get(reverse("admin:login"))

    assert unquote(response["Location"]) == f"{LOGIN}?next=/en/admin/"


def test_signed_in_monitor_sent_to_the_login_page_is_not_redirected_in_a_loop(monitor_client):
    response = monitor_client.get(LOGIN, {"next": ADMIN})

    page = response.content.decode()
    assert response.status_code == 200
    assert "You are logged in as monitor" in page
    assert "cannot open the page you asked for" in page


# ---------------------------------------------------------------- second factor


def test_login_with_totp_device_asks_for_code(client, monitor):
    device_for(monitor)

    response = log_in(client, "monitor")

    assert response["Location"] == CODE
    assert signed_in_user_id(client) is None  # nobody is logged in yet
    page = client.get(CODE).content.decode()
    assert 'inputmode="numeric"' in page
    assert 'autocomplete="one-time-code"' in page


def test_login_with_totp_device_and_the_right_code_logs_in_verified(client, monitor):
    device = device_for(monitor)
    log_in(client, "monitor", next="/en/commitments/")

    response = client.post(CODE, {"code": code_for(device)})

    assert response["Location"] == "/en/commitments/"
    assert signed_in_user_id(client) == str(monitor.pk)
    assert client.session["otp_device_id"] == device.persistent_id
    assert PENDING_KEY not in client.session


def test_login_code_accepts_a_code_typed_with_a_space(client, monitor):
    device = device_for(monitor)
    log_in(client, "monitor")
    code = code_for(device)

    client.post(CODE, {"code": f"{code[:3]} {code[3:]}"})

    assert signed_in_user_id(client) == str(monitor.pk)


def test_login_with_totp_device_refuses_a_wrong_code(client, monitor, security_events):
    device = device_for(monitor)
    log_in(client, "monitor")

    response = client.post(CODE, {"code": wrong_code_for(device)})

    page = response.content.decode()
    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert 'aria-describedby="id_code_errors id_code_helptext"' in page
    assert 'id="id_code_errors"' in page
    (failure,) = security_events("login_failed")
    assert failure["username"] == "monitor"
    assert failure["second_factor"] is True


def test_login_code_cannot_be_used_twice(client, monitor, no_otp_throttle):
    device = device_for(monitor)
    code = code_for(device)
    log_in(client, "monitor")
    client.post(CODE, {"code": code})
    client.post(reverse("accounts:logout"))

    log_in(client, "monitor")
    client.post(CODE, {"code": code})

    assert signed_in_user_id(client) is None


def test_wrong_codes_count_towards_the_lockout(client, monitor, no_otp_throttle):
    device = device_for(monitor)
    log_in(client, "monitor")

    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        response = client.post(CODE, {"code": wrong_code_for(device)})

    assert response.status_code == 429
    assert client.post(CODE, {"code": code_for(device)}).status_code in (302, 429)
    assert signed_in_user_id(client) is None
    assert log_in(client, "monitor").status_code == 429


def test_code_step_without_a_password_first_goes_back_to_the_login(client):
    response = client.get(CODE)

    assert response["Location"] == LOGIN


def test_code_step_expires(client, monitor, settings):
    device_for(monitor)
    log_in(client, "monitor")
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "expires": 0}
    session.save()

    assert client.get(CODE)["Location"] == LOGIN


# ---------------------------------------------------------------- setting up an app


def setup_secret(page: str) -> str:
    return re.search(r'<code class="secret-key" dir="ltr">([A-Z2-7 ]+)</code>', page)[1]


def test_totp_setup_shows_a_qr_code_and_the_key(monitor_client):
    response = monitor_client.get(SETUP)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<svg role="img"' in page
    assert "<title>QR code to scan with your authenticator app</title>" in page
    assert len(setup_secret(page).replace(" ", "")) == 32
    assert "<script" not in page
    assert response["Cache-Control"].startswith("max-age=0")
    assert not TOTPDevice.objects.exists()  # nothing stored before a code confirms


def test_totp_setup_flow_creates_a_confirmed_device_and_then_login_asks_for_it(
    client, monitor, security_events
):
    from base64 import b32decode

    client.force_login(monitor)
    secret = setup_secret(client.get(SETUP).content.decode()).replace(" ", "")
    key = b32decode(secret)

    refused = client.post(SETUP, {"code": "000000" if totp(key) else "111111"})
    assert refused.status_code == 200
    assert not TOTPDevice.objects.exists()
    response = client.post(SETUP, {"code": f"{totp(key):06d}"})

    assert response["Location"] == SETUP
    device = TOTPDevice.objects.get(user=monitor)
    assert device.confirmed
    assert device.bin_key == key
    assert client.session["otp_device_id"] == device.persistent_id  # this session counts
    assert security_events("second_factor_added")
    assert "Two-step login is on" in client.get(SETUP).content.decode()

    client.post(reverse("accounts:logout"))
    assert log_in(client, "monitor")["Location"] == CODE
    client.post(CODE, {"code": code_for(device, steps_ahead=1)})
    assert signed_in_user_id(client) == str(monitor.pk)


def test_totp_disable_needs_a_current_code(client, monitor, no_otp_throttle):
    device = device_for(monitor)
    client.force_login(monitor)

    client.post(DISABLE, {"code": wrong_code_for(device)})
    assert TOTPDevice.objects.filter(user=monitor).exists()
    response = client.post(DISABLE, {"code": code_for(device)})

    assert response["Location"] == SETUP
    assert not TOTPDevice.objects.filter(user=monitor).exists()


def test_account_pages_refuse_anonymous_visitors(client):
    for name in ("totp_setup", "password_change", "password_change_done"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")
    assert client.post(DISABLE)["Location"].startswith(f"{LOGIN}?next=")


def test_password_change_in_the_site_design(client_for, monitor):
    client = client_for(monitor)

    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )

    assert response["Location"] == reverse("accounts:password_change_done")
    monitor.refresh_from_db()
    assert monitor.check_password("a-new-long-passphrase-42")
    assert signed_in_user_id(client) == str(monitor.pk)  # still logged in


# ---------------------------------------------------------------- staff must use it


@pytest.fixture
def require_totp(settings):
    settings.STAFF_REQUIRE_TOTP = True


def test_staff_without_an_app_is_sent_to_set_one_up(client, editor, require_totp):
    response = log_in(client, "editor", next=ADMIN)

    assert unquote(response["Location"]) == f"{SETUP}?next=/en/admin/"
    assert client.get(ADMIN)["Location"].startswith(reverse("admin:login"))
    page = client.get(SETUP).content.decode()
    assert "Staff accounts must use two-step login" in page


def test_staff_with_require_totp_is_refused_the_admin_until_verified(client, editor, require_totp):
    device = device_for(editor)
    client.force_login(editor)  # a session that never gave a code

    refused = client.get(ADMIN)
    assert refused.status_code == 302
    handed_over = client.get(refused["Location"])
    assert unquote(handed_over["Location"]) == f"{LOGIN}?next=/en/admin/"
    assert unquote(client.get(handed_over["Location"])["Location"]) == f"{CODE}?next=/en/admin/"

    response = client.post(CODE, {"code": code_for(device), "next": ADMIN})

    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_staff_login_with_require_totp_passes_through_the_code(client, editor, require_totp):
    device = device_for(editor)

    log_in(client, "editor", next=ADMIN)
    response = client.post(CODE, {"code": code_for(device)})

    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_staff_setting_up_an_app_reaches_the_admin(client, editor, require_totp):
    from base64 import b32decode

    log_in(client, "editor", next=ADMIN)
    secret = setup_secret(client.get(SETUP, {"next": ADMIN}).content.decode())

    response = client.post(
        SETUP, {"code": f"{totp(b32decode(secret.replace(' ', ''))):06d}", "next": ADMIN}
    )

    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_staff_cannot_turn_the_required_app_off(client, editor, require_totp):
    device = device_for(editor)
    client.force_login(editor)

    client.post(DISABLE, {"code": code_for(device)})

    assert TOTPDevice.objects.filter(user=editor).exists()


def test_without_require_totp_staff_use_the_admin_with_a_password_alone(editor_client):
    assert editor_client.get(ADMIN).status_code == 200


def test_security_log_line_of_a_wrong_code_holds_no_code(client, monitor):
    from ogp_portal.security_log import JsonFormatter

    device = device_for(monitor)
    log_in(client, "monitor")
    wrong = wrong_code_for(device)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(JsonFormatter().format(record))
    logging.getLogger("security").addHandler(handler)
    try:
        client.post(CODE, {"code": wrong})
    finally:
        logging.getLogger("security").removeHandler(handler)

    (line,) = lines
    assert json.loads(line)["event"] == "login_failed"
    assert wrong not in line


def test_login_of_a_citizen_lands_on_their_profile(client):
    CitizenFactory(username="tamar", email="tamar@example.org")

    response = log_in(client, "tamar@example.org")

    assert response["Location"] == "/en/accounts/profile/"
