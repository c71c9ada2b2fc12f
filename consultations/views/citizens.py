"""Citizens' accounts (sign-up with double opt-in, profile, privacy: data
export and deletion, under /accounts/: ogp_portal/account_urls.py), and
following (follow, unfollow, unsubscribe, here under the consultations
namespace)."""

import json

from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ogp_portal.page_cache import public_page
from ogp_portal.security_log import log_event

from ..antispam import public_write_limits
from ..forms.citizens import DeleteAccountForm, ProfileForm, SignupForm
from ..selectors import citizens as selectors
from ..services import citizens as services

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# ------------------------------------------------------------------ sign-up


@sensitive_post_parameters("password")
@never_cache
@public_write_limits("signup")
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    posted = request.method == "POST"
    form = SignupForm(request.POST if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        services.citizen_signup(
            email=data["email"],
            display_name=data["display_name"],
            password=data["password"],
            phone=data["phone"],
            sms_notifications=data["sms_notifications"],
            # The page's language: what we send them is in it until they choose another.
            language=translation.get_language(),
        )
        log_event("signup", request=request)
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if posted else 200)


@public_page
def signup_done(request):
    return render(request, "accounts/signup_done.html")


@never_cache
def signup_confirm(request, uidb64, token):
    """GET shows a button (mail scanners follow links); POST opens the account."""
    user = selectors.signup_user_for_link(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/signup_invalid.html", status=400)
    if request.method == "POST":
        services.citizen_confirm(user=user)
        auth.login(request, user, backend=MODEL_BACKEND)
        messages.success(
            request, _("Your email address is confirmed and your account is open. Welcome!")
        )
        return redirect("accounts:profile")
    return render(request, "accounts/signup_confirm.html")


@public_page
def privacy(request):
    return render(request, "accounts/privacy.html")


# ------------------------------------------------------------------ profile


@never_cache
@login_required
def profile(request):
    citizen = selectors.citizen_profile_of(request.user)
    posted = request.method == "POST"
    form = None
    if citizen is not None:
        form = ProfileForm(request.POST if posted else None, instance=citizen)
        if posted and form.is_valid():
            data = form.cleaned_data
            services.profile_update(
                profile=citizen,
                display_name=data["display_name"],
                phone=data["phone"],
                sms_notifications=data["sms_notifications"],
                language=data["language"],
            )
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    context = {
        "citizen": citizen,
        "form": form,
        "follows": selectors.follows_of(request.user),
    }
    return render(request, "accounts/profile.html", context, status=400 if posted else 200)


# ------------------------------------------------------------------ privacy


@never_cache
@login_required
def data_export(request):
    """GET: what the download holds; POST: the download, my-data.json."""
    if request.method != "POST":
        return render(request, "accounts/data_export.html")
    data = selectors.citizen_data_export(user=request.user)
    log_event("personal_data_export", request=request)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@sensitive_post_parameters("password")
@never_cache
@login_required
@public_write_limits("account_delete")
def delete_account(request):
    user = request.user
    posted = request.method == "POST"
    refused = user.is_staff or user.is_superuser
    form = DeleteAccountForm(request.POST if posted else None, user=user)
    if posted and not refused and form.is_valid():
        log_event("account_deleted", request=request)
        services.citizen_delete(user=user)
        auth.logout(request)
        messages.success(request, _("Your account is deleted."))
        return redirect("plans:home")
    context = {"form": form, "refused": refused}
    return render(request, "accounts/delete.html", context, status=400 if posted else 200)


# ---------------------------------------------------------------- following


def _back(request, subject) -> str:
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return subject.get_absolute_url()


def _subject_name(subject) -> str:
    if selectors.subject_kind(subject) == "plan":
        return str(subject.title)
    return f"{subject.identifier} {subject.short_title or subject.title}"


def _follow_change(request, *, add: bool):
    subject = selectors.follow_subject_get(
        kind=request.POST.get("kind", ""), pk=request.POST.get("id")
    )
    if not request.user.is_authenticated:
        return redirect_to_login(subject.get_absolute_url())
    if not selectors.citizen_can_participate(request.user):
        return render(request, "consultations/citizens/follow_refused.html", status=403)
    name = _subject_name(subject)
    if add:
        services.follow_add(user=request.user, subject=subject)
        messages.success(
            request,
            _("You follow %(subject)s: we will email you when it changes.") % {"subject": name},
        )
    else:
        services.follow_remove(user=request.user, subject=subject)
        messages.success(request, _("You no longer follow %(subject)s.") % {"subject": name})
    return redirect(_back(request, subject))


@require_POST
@public_write_limits("follow")
def follow(request):
    return _follow_change(request, add=True)


@require_POST
@public_write_limits("follow")
def unfollow(request):
    return _follow_change(request, add=False)


# Mail providers' one-click POST (RFC 8058) has no CSRF token: the signed
# token is the proof, and all it allows is to stop notices.
@csrf_exempt
@never_cache
def unsubscribe(request, token):
    try:
        payload = services.unsubscribe_token_read(token)
    except signing.BadSignature:
        return render(request, "consultations/citizens/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        removed = services.unsubscribe(payload=payload)
        context = {"done": True, "removed": removed, "all": "u" in payload}
        return render(request, "consultations/citizens/unsubscribe.html", context)
    follow = selectors.unsubscribe_follow(payload=payload)
    context = {
        "all": "u" in payload,
        "follow": follow,
        "subject_name": _subject_name(follow.plan or follow.commitment) if follow else "",
        "gone": "f" in payload and follow is None,
        "stop_all_url": reverse(
            "consultations:unsubscribe", args=[services.unsubscribe_token(user_id=follow.user_id)]
        )
        if follow
        else "",
    }
    return render(request, "consultations/citizens/unsubscribe.html", context)


urlpatterns = [
    path("follow/", follow, name="follow"),
    path("unfollow/", unfollow, name="unfollow"),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
]
