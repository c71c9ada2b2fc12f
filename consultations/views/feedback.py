"""Feedback pages: the general form, the form about a commitment, the
confirmation, and the public responsiveness figure.

The forms sit on their own pages so the public pages that link to them stay
cacheable. The responsiveness page is not cached: feedback is private data
whose writes do not invalidate the page cache, and the figure must be current.
"""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ogp_portal.security_log import client_ip

from ..antispam import public_write_limits
from ..forms.feedback import FeedbackForm
from ..models import Feedback
from ..selectors import feedback as selectors
from ..services import feedback as services

SENT_SALT = "consultations.feedback.sent"
SENT_MAX_AGE = 24 * 3600  # the confirmation link works for a day


def _feedback_form_page(request, *, commitment=None):
    user = request.user if request.user.is_authenticated else None
    form = FeedbackForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        anonymous = data["is_anonymous"]
        feedback = services.feedback_submit(
            category=data["category"],
            body=data["body"],
            name=data["name"],
            email=data["email"],
            is_anonymous=anonymous,
            author=None if anonymous else user,
            ip_address=None if anonymous else client_ip(request),
            commitment=commitment,
            language=translation.get_language(),
        )
        token = signing.dumps(
            {"pk": feedback.pk, "discarded": form.identity_discarded}, salt=SENT_SALT
        )
        return redirect("consultations:feedback_sent", token=token)
    return render(
        request,
        "consultations/feedback/feedback_form.html",
        {
            "form": form,
            "commitment": commitment,
            "response_hours": settings.FEEDBACK_RESPONSE_HOURS,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@public_write_limits("feedback")
def feedback_general(request):
    return _feedback_form_page(request)


@require_http_methods(["GET", "POST"])
@public_write_limits("feedback")
def feedback_commitment(request, identifier):
    commitment = selectors.feedback_commitment_get(identifier=identifier)
    return _feedback_form_page(request, commitment=commitment)


@require_GET
def feedback_sent(request, token):
    """The confirmation: reference and due time, reached only through the
    signed link the form redirects to (no one can read another's item)."""
    try:
        sent = signing.loads(token, salt=SENT_SALT, max_age=SENT_MAX_AGE)
        feedback = selectors.feedback_get_sent(pk=int(sent["pk"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, Feedback.DoesNotExist):
        raise Http404(_("This confirmation link is not valid.")) from None
    return render(
        request,
        "consultations/feedback/feedback_sent.html",
        {
            "feedback": feedback,
            "reference": selectors.feedback_reference(feedback),
            "identity_discarded": bool(sent.get("discarded")),
        },
    )


@require_GET
def responsiveness(request):
    return render(
        request,
        "consultations/feedback/responsiveness.html",
        {"figures": selectors.responsiveness_by_month(months=12)},
    )


urlpatterns = [
    path("feedback/", feedback_general, name="feedback_general"),
    path("feedback/sent/<str:token>/", feedback_sent, name="feedback_sent"),
    path("feedback/responsiveness/", responsiveness, name="responsiveness"),
    path(
        "commitments/<str:identifier>/feedback/",
        feedback_commitment,
        name="feedback_commitment",
    ),
]
