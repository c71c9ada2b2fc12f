from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from commitments.sitemaps import CommitmentSitemap
from ogp_portal import views as portal_views
from ogp_portal.page_cache import public_page
from plans import views as plan_views
from plans.sitemaps import PlanSitemap, StaticPagesSitemap

admin.site.site_header = _("OGP Local portal administration")
admin.site.site_title = _("OGP Local portal")
admin.site.index_title = _("Action plan administration")

# A 500 caused by the database's absence answers the 503 maintenance page.
handler500 = "ogp_portal.views.server_error"

sitemaps = {
    "pages": StaticPagesSitemap,
    "plans": PlanSitemap,
    "commitments": CommitmentSitemap,
}

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", plan_views.robots_txt, name="robots_txt"),
    path("healthz", portal_views.liveness, name="liveness"),
    # The API is not language-prefixed: the language is a parameter.
    path("api/", include("ogp_portal.api_urls")),
    path(
        "sitemap.xml",
        public_page(sitemap),
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # One login for everyone; the admin's login page hands over to it.
    path("accounts/", include("ogp_portal.account_urls")),
    path("", include("plans.urls")),
    path("", include("monitoring.urls")),
    path("", include("consultations.urls")),
    path("commitments/", include("commitments.urls")),
    path("open-data/", include("commitments.open_data_urls")),
    path("embed/", include("ogp_portal.embed_urls")),
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
