"""The portal's own middleware: the maintenance page, the security log of 403s.

DatabaseUnavailableMiddleware answers "come back in a moment" while the
database is unreachable.

When PostgreSQL is down, restarting or out of reach, a page that reads the
database fails. Instead of a 500, visitors get a 503 with Retry-After and a
short maintenance page in their language (`views.database_unavailable`, which
renders without the database). Errors raised by views and templates arrive
here; those raised in a middleware (saving a session, say) reach handler500,
which answers the same (`views.server_error`).

Nothing here needs undoing once the database is back: Django drops a
connection that failed (`CONN_HEALTH_CHECKS` checks a persistent one before
reuse), so the next request reconnects, without restarting the app.
"""

import logging

from ogp_portal.security_log import log_event
from ogp_portal.views import DATABASE_UNAVAILABLE_ERRORS, database_unavailable

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
            return None
        logger.warning("Database unavailable, answering 503: %s", exception)
        return database_unavailable(request)


class SecurityLogMiddleware:
    """Write every 403 answer to the security log, whatever refused: the
    admin (a missing permission), the CSRF check, the API. Placed after
    AuthenticationMiddleware, so the line names the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            log_event("permission_denied", request=request, level=logging.WARNING, status=403)
        return response
