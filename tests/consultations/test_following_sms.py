"""The text-message backends: console, locmem, and the Twilio adapter."""

import base64
import urllib.parse
import urllib.request

import pytest
from django.core.exceptions import ImproperlyConfigured

from consultations import sms


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def test_sms_locmem_backend_keeps_messages(settings):
    settings.SMS_BACKEND = "locmem"

    sms.send_sms("+995599123456", "Milestone completed")

    assert sms.outbox == [sms.SmsMessage(to="+995599123456", body="Milestone completed")]


def test_sms_console_backend_prints(settings, capsys):
    settings.SMS_BACKEND = "console"

    sms.send_sms("+995599123456", "Milestone completed")

    assert "+995599123456" in capsys.readouterr().out
    assert sms.outbox == []


def test_sms_unknown_backend_is_refused_at_start(settings):
    settings.SMS_BACKEND = "pigeon"

    with pytest.raises(ImproperlyConfigured):
        sms.check_backend()


def test_sms_twilio_backend_needs_its_credentials(settings):
    settings.SMS_BACKEND = "twilio"
    settings.SMS_TWILIO_ACCOUNT_SID = ""

    with pytest.raises(ImproperlyConfigured):
        sms.check_backend()


class FakeResponse:
    def __init__(self, status):
        self.status = status

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def twilio(settings, monkeypatch):
    settings.SMS_BACKEND = "twilio"
    settings.SMS_TWILIO_ACCOUNT_SID = "AC123"
    settings.SMS_TWILIO_AUTH_TOKEN = "secret-token"
    settings.SMS_TWILIO_FROM = "+15005550006"
    sent = []

    def fake_urlopen(request, timeout):
        sent.append((request, timeout))
        return FakeResponse(getattr(fake_urlopen, "status", 201))

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    return sent, fake_urlopen


def test_sms_twilio_backend_posts_the_message_with_basic_auth(twilio):
    sent, _fake = twilio

    sms.send_sms("+995599123456", "Milestone completed")

    ((request, timeout),) = sent
    assert request.full_url == "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
    assert request.get_method() == "POST"
    assert timeout == sms.TIMEOUT_SECONDS
    credentials = base64.b64encode(b"AC123:secret-token").decode()
    assert request.get_header("Authorization") == f"Basic {credentials}"
    assert urllib.parse.parse_qs(request.data.decode()) == {
        "To": ["+995599123456"],
        "From": ["+15005550006"],
        "Body": ["Milestone completed"],
    }


def test_sms_twilio_backend_raises_on_an_error_answer(twilio):
    _sent, fake = twilio
    fake.status = 500

    with pytest.raises(sms.SmsError):
        sms.send_sms("+995599123456", "Milestone completed")
