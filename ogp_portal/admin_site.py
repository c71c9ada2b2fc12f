"""The portal's admin site: Django's, with one login for everyone and the
staff second factor.

- Its login page hands over to the site's (`accounts:login`, keeping `next`),
  so staff and monitors sign in on the same form, under the same django-axes
  lockout and the same second factor.
- With STAFF_REQUIRE_TOTP, the admin opens only to a session that passed the
  second factor. A staff member who has not is sent to the login page, which
  asks for the code, or sends them to set up an app first.

Installed in place of "django.contrib.admin" (INSTALLED_APPS), so
`admin.site` is this site for every app's `admin.py`. Kept out of apps.py:
a second AppConfig there would leave Django unable to choose the portal's.
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import reverse


def is_verified(user) -> bool:
    """Whether this session passed the second factor (django-otp's middleware)."""
    return bool(getattr(user, "is_verified", lambda: False)())


class PortalAdminSite(AdminSite):
    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.STAFF_REQUIRE_TOTP or is_verified(request.user)

    def login(self, request, extra_context=None):
        """The admin's login URL sends to the site's login, keeping `next`
        (which that page checks: only this site's addresses are followed)."""
        # Imported here: this module is loaded while the app registry is filled.
        from django.contrib.auth.views import redirect_to_login

        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        return redirect_to_login(next_url, reverse("accounts:login"))


class PortalAdminConfig(AdminConfig):
    default_site = "ogp_portal.admin_site.PortalAdminSite"
