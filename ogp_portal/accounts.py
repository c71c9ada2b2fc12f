"""Site accounts: one login for everyone, in the site's design.

Monitors (plain accounts) and staff sign in here; the admin's login page
hands over to this one (ogp_portal/admin_site.py).

- The password goes through `django.contrib.auth.authenticate(request, ...)`,
  so django-axes counts the failures and locks a username out from an
  address after AXES_FAILURE_LIMIT of them (settings).
- An account with an authenticator app (a confirmed TOTP device) is asked
  for its 6-digit code next. Until the code verifies, nobody is logged in:
  the session holds only the pending account's id, for
  PENDING_LOGIN_SECONDS. A wrong code is a failed login (the
  `user_login_failed` signal): in the security log, and counted by
  django-axes towards the same lockout as wrong passwords.
- STAFF_REQUIRE_TOTP (settings): staff cannot use the admin until their
  session has passed the second factor; those without an app set one up.
- A forgotten password is reset from a link sent by email (Django's views
  and tokens). The email leaves in the background, its link is built on
  PORTAL_BASE_URL (never the request's Host header), and the page after
  the request says the same whether or not an account has the address.
"""

import time
from base64 import b32encode

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import (
    PasswordChangeDoneView,
    PasswordChangeView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
)
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from consultations.antispam import HoneypotMixin, public_write_limits
from ogp_portal.admin_site import is_verified
from ogp_portal.mail import email_send_later, portal_url
from ogp_portal.page_cache import public_page
from ogp_portal.security_log import log_event

# Session keys: the account between its password and its code; the secret of
# an app being set up (shown as a QR code until a code confirms it).
PENDING_KEY = "accounts:pending_login"
SETUP_KEY = "accounts:totp_setup_key"
PENDING_LOGIN_SECONDS = 5 * 60
DEVICE_NAME = "Authenticator app"


# ----------------------------------------------------------------- forms


class DescribedFieldsMixin:
    """Ties each field's errors (and help text) to it with aria-describedby,
    so a screen reader reads them with the field. Ids: `<field id>_errors`,
    `<field id>_helptext` (templates/accounts/_field.html)."""

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            ids = [f"{auto_id}_errors"] if name in self.errors else []
            if field.help_text:
                ids.append(f"{auto_id}_helptext")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class LoginForm(DescribedFieldsMixin, auth_forms.AuthenticationForm):
    """Username or email address, and password."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = gettext_lazy("Username or email address")
        self.fields["username"].widget.attrs.update(autocapitalize="none", spellcheck="false")

    def clean(self):
        identifier = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if identifier is not None and password:
            # With the request, for django-axes: it refuses a locked-out
            # username and counts this attempt if it fails.
            self.user_cache = auth.authenticate(
                self.request, username=username_for(identifier), password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class CodeForm(DescribedFieldsMixin, forms.Form):
    """A 6-digit code from the account's authenticator app.

    `device` is the account's confirmed TOTP device, or, while an app is set
    up, an unsaved one holding the new secret."""

    code = forms.CharField(
        label=gettext_lazy("6-digit code"),
        help_text=gettext_lazy("The code your authenticator app shows now."),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
                "size": "8",
            }
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())  # apps show "123 456"
        if not (len(code) == self.device.digits and code.isdigit()):
            raise ValidationError(_("Enter the 6 digits your app shows."), code="format")
        if self.device.pk is None:
            verified = _matches_new_device(self.device, code)
        else:
            allowed, _details = self.device.verify_is_allowed()
            if not allowed:
                raise ValidationError(
                    _("Too many wrong codes in a row. Wait a minute, then enter a new code."),
                    code="throttled",
                )
            # Verifies under a row lock, and refuses a code already used.
            verified = django_otp.verify_token(self.device.user, self.device.persistent_id, code)
        if not verified:
            raise ValidationError(
                _("This code is wrong or was already used. Enter the next code your app shows."),
                code="invalid",
            )
        return code


# ----------------------------------------------------------------- helpers


def username_for(identifier: str) -> str:
    """The username to authenticate: the identifier typed, or, for an email
    address, the username of the one account that has it."""
    User = get_user_model()
    users = User._default_manager
    if "@" not in identifier or users.filter(**{User.USERNAME_FIELD: identifier}).exists():
        return identifier
    usernames = list(
        users.filter(email__iexact=identifier).values_list(User.USERNAME_FIELD, flat=True)[:2]
    )
    return usernames[0] if len(usernames) == 1 else identifier


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def must_set_up(user) -> bool:
    """Staff without an app, when the city requires one of them."""
    return settings.STAFF_REQUIRE_TOTP and user.is_staff and confirmed_device(user) is None


def _matches_new_device(device: TOTPDevice, code: str) -> bool:
    """Check a code against a secret not stored yet; on success, remember its
    time step so the same code cannot log in once the device is saved."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(code), device.tolerance):
        return False
    device.last_t = totp.t()
    device.drift = totp.drift
    return True


def safe_next(request) -> str:
    """The `next` address asked for, if it is on this site; else ""."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def home_for(user) -> str:
    """Where a login lands without `next`: the admin for staff, the
    profile for citizens, the monitoring pages for the others (monitors)."""
    if user.is_staff:
        return reverse("admin:index")
    if hasattr(user, "citizen_profile"):
        return reverse("accounts:profile")
    return reverse("monitoring:dashboard")


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else url


def _pending(request) -> tuple | None:
    """(user, next) of the account waiting for its code: one that gave its
    password in this session, or the signed-in user whose session has not
    passed the second factor yet; None if there is none."""
    pending = request.session.get(PENDING_KEY)
    if pending:
        users = get_user_model()._default_manager.filter(is_active=True)
        user = users.filter(pk=pending["user_id"]).first()
        if user is not None and pending["expires"] > time.time():
            user.backend = pending["backend"]
            return user, pending["next"]
        del request.session[PENDING_KEY]
    if request.user.is_authenticated and not is_verified(request.user):
        return request.user, safe_next(request)
    return None


def _qr_svg(url: str) -> str:
    """The app's set-up address as an inline SVG QR code (segno escapes the title)."""
    return (
        segno.make(url, error="m")
        .svg_inline(
            scale=1,
            border=4,
            omitsize=True,
            svgclass="qr-code",
            title=_("QR code to scan with your authenticator app"),
        )
        .replace("<svg ", '<svg role="img" ', 1)
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _code_failed(request, user) -> None:
    """A wrong code is a failed login: logged, and counted by django-axes,
    which may lock the account out from this address (its middleware then
    answers the lockout page)."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username()},
        request=request,
        second_factor=True,
    )


# ----------------------------------------------------------------- views


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login(request):
    next_url = safe_next(request)
    user = request.user
    if user.is_authenticated and not is_verified(user):
        if confirmed_device(user) is not None:
            return redirect(_with_next(reverse("accounts:login_code"), next_url))
        if must_set_up(user):
            return redirect(_with_next(reverse("accounts:totp_setup"), next_url))
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.get_user()
        if confirmed_device(user) is not None:
            request.session[PENDING_KEY] = {
                "user_id": user.pk,
                "backend": user.backend,
                "next": next_url,
                "expires": time.time() + PENDING_LOGIN_SECONDS,
            }
            return redirect("accounts:login_code")
        auth.login(request, user)
        if must_set_up(user):
            return redirect(_with_next(reverse("accounts:totp_setup"), next_url))
        return redirect(next_url or home_for(user))
    context = {"form": form, "next": next_url}
    return render(request, "accounts/login.html", context)


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login_code(request):
    """The second step: the code of the account that gave its password."""
    pending = _pending(request)
    device = pending and confirmed_device(pending[0])
    if not device:
        return redirect("accounts:login")
    user, next_url = pending
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.session.pop(PENDING_KEY, None)
        return get_lockout_response(request, credentials=credentials)
    form = CodeForm(request.POST if request.method == "POST" else None, device=device)
    form.fields["code"].widget.attrs["autofocus"] = True  # the one thing to do here
    if form.is_valid():
        request.session.pop(PENDING_KEY, None)
        if request.user.is_authenticated and request.user.pk == user.pk:
            request.session.cycle_key()  # a new session key for the new rights
            log_event("second_factor_passed", request=request)
        else:
            auth.login(request, user)  # logged as a login (security log)
        django_otp.login(request, device)
        return redirect(next_url or home_for(user))
    if form.is_bound:
        _code_failed(request, user)
    context = {"form": form, "next": next_url, "signed_in": request.user.is_authenticated}
    return render(request, "accounts/login_code.html", context)


@require_POST
def logout(request):
    auth.logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("plans:home")


@never_cache
@login_required
def totp_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), then
    enter a code to confirm. With an app already set up: its status, and the
    form that removes it."""
    user = request.user
    next_url = safe_next(request)
    device = confirmed_device(user)
    if device is not None:
        return _totp_enabled(request, device, form=CodeForm(device=device))
    key = request.session.get(SETUP_KEY) or random_hex(20)
    request.session[SETUP_KEY] = key
    device = TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=True)
    form = CodeForm(request.POST if request.method == "POST" else None, device=device)
    if form.is_valid():
        device.full_clean()
        device.save()
        del request.session[SETUP_KEY]
        django_otp.login(request, device)
        log_event("second_factor_added", request=request)
        messages.success(request, _("Two-step login is on: each login will ask for a code."))
        return redirect(next_url or reverse("accounts:totp_setup"))
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": _qr_svg(device.config_url),
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "required": must_set_up(user),
    }
    return render(request, "accounts/totp_setup.html", context)


def _totp_enabled(request, device, *, form, status=200):
    context = {
        "device": device,
        "form": form,
        "verified": is_verified(request.user),
        "required": settings.STAFF_REQUIRE_TOTP and request.user.is_staff,
    }
    return render(request, "accounts/totp_enabled.html", context, status=status)


@login_required
@require_POST
def totp_disable(request):
    """Turn two-step login off, with a current code (a stolen session alone cannot)."""
    user = request.user
    device = confirmed_device(user)
    if device is None:
        return redirect("accounts:totp_setup")
    if settings.STAFF_REQUIRE_TOTP and user.is_staff:
        messages.error(request, _("Staff accounts must keep two-step login."))
        return redirect("accounts:totp_setup")
    form = CodeForm(request.POST, device=device)
    if not form.is_valid():
        _code_failed(request, user)
        return _totp_enabled(request, device, form=form)
    TOTPDevice.objects.filter(user=user).delete()
    log_event("second_factor_removed", request=request)
    messages.success(request, _("Two-step login is off."))
    return redirect("accounts:totp_setup")


class PasswordChangeForm(DescribedFieldsMixin, auth_forms.PasswordChangeForm):
    pass


password_change = PasswordChangeView.as_view(
    form_class=PasswordChangeForm,
    template_name="accounts/password_change_form.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)


# ----------------------------------------------------------- password reset


def _render_text(template_name: str, context: dict) -> str:
    """A plain-text email from a template, without HTML escaping: it is not
    HTML (a portal named "A & B" stays so)."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


class PasswordResetForm(DescribedFieldsMixin, HoneypotMixin, auth_forms.PasswordResetForm):
    """Django's form (it finds active accounts with a usable password by
    `email__iexact`), sending its email in the background, with a link on
    PORTAL_BASE_URL rather than the host the request named."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        path = reverse("accounts:password_reset_confirm", args=[context["uid"], context["token"]])
        context = {
            "portal": settings.PORTAL_NAME,
            "link": portal_url(path),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)),
        }
        subject = "".join(_render_text(subject_template_name, context).splitlines())
        body = _render_text(email_template_name, context)
        email_send_later(subject=subject, body=body, to=[to_email])


class SetPasswordForm(DescribedFieldsMixin, auth_forms.SetPasswordForm):
    pass


class _PasswordResetView(PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/password_reset_subject.txt"
    email_template_name = "accounts/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        log_event("password_reset_requested", request=self.request)  # never the address
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class _PasswordResetConfirmView(PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False  # they log in next, through the login page

    def form_valid(self, form):
        response = super().form_valid(form)
        log_event("password_reset_completed", request=self.request, actor=form.user)
        return response

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


password_reset = public_write_limits("password-reset")(never_cache(_PasswordResetView.as_view()))
password_reset_done = public_page(
    PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = _PasswordResetConfirmView.as_view()
password_reset_complete = public_page(
    PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)
