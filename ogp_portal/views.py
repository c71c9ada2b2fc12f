import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as django_server_error

# What the database driver raises when it cannot connect or loses the
# connection (server stopped, restarting, unreachable, too many clients).
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)
# Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30


@require_safe
def liveness(request):
    """The process answers; touches no database (for load balancers and benchmarks)."""
    return HttpResponse("ok", content_type="text/plain")


def database_unavailable(request) -> HttpResponse:
    """The maintenance page: 503, Retry-After, in the visitor's language.

    Rendered without the request, hence without context processors, which
    may read the database (the user, the messages).
    """
    page = loader.get_template("503.html").render({"portal_name": settings.PORTAL_NAME})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def server_error(request, template_name="500.html") -> HttpResponse:
    """handler500: the maintenance page when the error is the database's absence.

    Django calls it while handling the exception, so `sys.exc_info()` holds it.
    """
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE_ERRORS):
        return database_unavailable(request)
    return django_server_error(request, template_name)


def login_locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer once a login is locked out (AXES_LOCKOUT_CALLABLE):
    429 with Retry-After, in the site's design and the visitor's language."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": max(1, round(cool_off.total_seconds() / 60)),
    }
    response = render(request, "lockout.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def rate_limited(request, exception=None) -> HttpResponse:
    """django-ratelimit's answer (RATELIMIT_VIEW): 429 with Retry-After and a
    page that says what happened. What the visitor typed is lost only if they
    leave: the browser's back button returns to their filled-in form."""
    response = render(request, "rate_limited.html", status=429)
    response["Retry-After"] = "60"
    add_never_cache_headers(response)
    return response
