"""Every write about citizens' accounts: sign-up and its confirmation
(double opt-in), the profile, follows, unsubscribing, and account deletion."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from ogp_portal.mail import email_send_later, portal_url

from ..models import CitizenProfile, Comment, Feedback, Follow, Notification, Proposal
from ..selectors.citizens import notice_language, subject_kind

UNSUBSCRIBE_SALT = "consultations.unsubscribe"


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """A sign-up confirmation link: valid for SIGNUP_CONFIRMATION_MAX_AGE
    seconds, and once only (activating the account changes the hash)."""

    key_salt = "consultations.services.citizens.SignupTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(
                self._make_token_with_timestamp(user, timestamp, secret), token
            ):
                break
        else:
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= settings.SIGNUP_CONFIRMATION_MAX_AGE


signup_token_generator = SignupTokenGenerator()


def _new_username() -> str:
    """Citizens log in with their email address; the username is a random
    value, so that logs and lockout records (which show usernames) never
    hold an email address."""
    User = get_user_model()
    while True:
        username = f"citizen-{secrets.token_hex(6)}"
        if not User._default_manager.filter(username=username).exists():
            return username


def signup_link(user) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = signup_token_generator.make_token(user)
    return portal_url(reverse("accounts:signup_confirm", args=[uidb64, token]))


def _send_confirmation(user) -> None:
    values = {
        "portal": settings.PORTAL_NAME,
        "link": signup_link(user),
        "days": max(1, settings.SIGNUP_CONFIRMATION_MAX_AGE // (24 * 3600)),
    }
    email_send_later(
        subject=_("Confirm your account on %(portal)s") % values,
        body=_(
            "Welcome to %(portal)s.\n\n"
            "To confirm your email address and open your account, follow this link "
            "and press the button on the page:\n\n%(link)s\n\n"
            "The link works for %(days)s day(s). If you did not sign up, ignore this "
            "message: no account is opened without the confirmation."
        )
        % values,
        to=[user.email],
    )


def _send_already_registered(user) -> None:
    with translation.override(notice_language(user)):
        values = {
            "portal": settings.PORTAL_NAME,
            "login": portal_url(reverse("accounts:login")),
        }
        email_send_later(
            subject=_("Sign-up attempt on %(portal)s") % values,
            body=_(
                "Someone, perhaps you, tried to sign up on %(portal)s with this email "
                "address. It already has an account, so nothing was changed.\n\n"
                "If it was you, log in with this email address:\n\n%(login)s\n\n"
                "If it was not you, you can ignore this message."
            )
            % values,
            to=[user.email],
        )


@transaction.atomic
def citizen_signup(
    *,
    email: str,
    display_name: str,
    password: str,
    phone: str = "",
    sms_notifications=False,
    language: str = settings.LANGUAGE_CODE,
) -> None:
    """Open an inactive account and email its confirmation link.

    An address that already has an account gets a note instead (or, for an
    account not confirmed yet, its link again): the page the visitor sees is
    the same either way, so sign-up never tells who is registered."""
    User = get_user_model()
    email = User._default_manager.normalize_email(email.strip())
    existing = User._default_manager.filter(email__iexact=email).order_by("pk").first()
    if existing is not None:
        profile = CitizenProfile.objects.filter(user=existing).first()
        if not existing.is_active and profile is not None and profile.email_confirmed_at is None:
            _send_confirmation(existing)
        else:
            _send_already_registered(existing)
        return
    user = User(username=_new_username(), email=email, is_active=False)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    profile = CitizenProfile(
        user=user,
        display_name=display_name.strip(),
        phone=phone,
        sms_notifications=sms_notifications and bool(phone),
        language=language,
    )
    profile.full_clean()
    profile.save()
    _send_confirmation(user)


@transaction.atomic
def citizen_confirm(*, user) -> None:
    """The double opt-in's second step: the account opens."""
    User = get_user_model()
    locked = User._default_manager.select_for_update().get(pk=user.pk)
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    CitizenProfile.objects.filter(user=locked, email_confirmed_at=None).update(
        email_confirmed_at=timezone.now()
    )
    user.is_active = True


@transaction.atomic
def profile_update(
    *,
    profile: CitizenProfile,
    display_name: str,
    phone: str,
    sms_notifications: bool,
    language: str,
) -> CitizenProfile:
    profile.display_name = display_name.strip()
    profile.phone = phone
    profile.sms_notifications = sms_notifications and bool(phone)
    profile.language = language
    profile.full_clean()
    profile.save(update_fields=["display_name", "phone", "sms_notifications", "language"])
    return profile


def _subject_filter(subject) -> dict:
    return {subject_kind(subject): subject}


@transaction.atomic
def follow_add(*, user, subject) -> Follow:
    """Follow a plan or a commitment; following it again changes nothing."""
    follow, _created = Follow.objects.get_or_create(user=user, **_subject_filter(subject))
    return follow


@transaction.atomic
def follow_remove(*, user, subject) -> int:
    deleted, _details = Follow.objects.filter(user=user, **_subject_filter(subject)).delete()
    return deleted


# Unsubscribe links: signed, without expiry (an old email's link must still
# work), naming one follow or all of an account's follows.


def unsubscribe_token(*, follow: Follow | None = None, user_id: int | None = None) -> str:
    """A link's token: one follow, or (with user_id) all of an account's follows."""
    payload = {"f": follow.pk} if follow is not None else {"u": user_id}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> dict:
    """The token's payload; raises signing.BadSignature when it was tampered with."""
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(payload, dict) or not (
        isinstance(payload.get("f"), int) or isinstance(payload.get("u"), int)
    ):
        raise signing.BadSignature("Unexpected unsubscribe payload")
    return payload


def unsubscribe_url(*, follow: Follow | None = None, user_id: int | None = None) -> str:
    token = unsubscribe_token(follow=follow, user_id=user_id)
    return portal_url(reverse("consultations:unsubscribe", args=[token]))


@transaction.atomic
def unsubscribe(*, payload: dict) -> int:
    """Stop what the token names; returns how many follows were removed
    (0 when they were already gone: the link may be used twice)."""
    if "f" in payload:
        follows = Follow.objects.filter(pk=payload["f"])
    else:
        follows = Follow.objects.filter(user_id=payload["u"])
    deleted, _details = follows.delete()
    return deleted


@transaction.atomic
def citizen_delete(*, user) -> None:
    """Delete an account and what identifies its owner.

    - The profile (public name, phone), follows, notifications and the
      account itself (email, password) are deleted.
    - Comments and proposals stay in the public record, unsigned ("Former
      participant"): the author column is emptied (SET_NULL), also in their
      history.
    - Ballots stay counted, without the voter.
    - Feedback keeps its message for the city's records, without name,
      email, account or IP address, also in its history.
    - Login records (django-axes) under the account's username are deleted.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    User = get_user_model()
    user = User._default_manager.select_for_update().get(pk=user.pk)
    Feedback.objects.filter(author=user).update(author=None, name="", email="", ip_address=None)
    Feedback.history.filter(author_id=user.pk).update(
        author_id=None, name="", email="", ip_address=None
    )
    Feedback.history.filter(history_user_id=user.pk).update(history_user_id=None)
    for model in (Comment, Proposal):
        model.history.filter(author_id=user.pk).update(author_id=None)
        model.history.filter(history_user_id=user.pk).update(history_user_id=None)
    Notification.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
    CitizenProfile.objects.filter(user=user).delete()
    username = user.get_username()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
    user.delete()
