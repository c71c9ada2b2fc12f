"""Text messages to followers who gave a phone number, through a pluggable
backend chosen by settings.SMS_BACKEND:

- "console" (the default): prints each message to stdout, as Django's
  console email backend does, for development;
- "locmem": keeps each message in `outbox`, for tests;
- "twilio": sends it through Twilio's REST API with SMS_TWILIO_ACCOUNT_SID,
  SMS_TWILIO_AUTH_TOKEN and SMS_TWILIO_FROM.

Messages are sent only from background tasks (consultations/notifications.py),
never in a request: a slow provider must not hold a page.
"""

import base64
import logging
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

BACKENDS = ("console", "locmem", "twilio")
TWILIO_API = "https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json"
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


# The "locmem" backend's messages; tests empty it.
outbox: list[SmsMessage] = []


class SmsError(Exception):
    """The provider refused the message or could not be reached."""


def check_backend() -> None:
    """Refuse to start with an unknown backend, or Twilio without its credentials."""
    backend = settings.SMS_BACKEND
    if backend not in BACKENDS:
        raise ImproperlyConfigured(
            f"SMS_BACKEND must be one of {', '.join(BACKENDS)}; it is {backend!r}."
        )
    if backend == "twilio":
        missing = [
            name
            for name in ("SMS_TWILIO_ACCOUNT_SID", "SMS_TWILIO_AUTH_TOKEN", "SMS_TWILIO_FROM")
            if not getattr(settings, name, "")
        ]
        if missing:
            raise ImproperlyConfigured(f"SMS_BACKEND 'twilio' needs {', '.join(missing)}.")


def send_sms(to: str, body: str) -> None:
    """Send one text message to one number (E.164, e.g. +995322000000)."""
    check_backend()
    backend = settings.SMS_BACKEND
    if backend == "locmem":
        outbox.append(SmsMessage(to=to, body=body))
    elif backend == "twilio":
        _send_twilio(to, body)
    else:
        sys.stdout.write(f"SMS to {to}:\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()


def _send_twilio(to: str, body: str) -> None:
    sid = settings.SMS_TWILIO_ACCOUNT_SID
    url = TWILIO_API.format(sid=urllib.parse.quote(sid, safe=""))
    data = urllib.parse.urlencode(
        {"To": to, "From": settings.SMS_TWILIO_FROM, "Body": body}
    ).encode()
    credentials = base64.b64encode(f"{sid}:{settings.SMS_TWILIO_AUTH_TOKEN}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - a fixed https URL, see below
        url,
        data=data,
        method="POST",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        # nosec B310: the URL is the constant https address of Twilio's API
        # with the account id from settings (quoted), never user input.
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310
            status = response.status
    except urllib.error.HTTPError as error:
        raise SmsError(f"Twilio answered {error.code}") from error
    except OSError as error:
        raise SmsError(f"Twilio could not be reached: {error}") from error
    if not 200 <= status < 300:
        raise SmsError(f"Twilio answered {status}")
    logger.info("SMS sent through Twilio")
