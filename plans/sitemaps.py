from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors


class LocalisedSitemap(Sitemap):
    """Every page in every language, with hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(LocalisedSitemap):
    priority = 0.6

    def items(self):
        return ["plans:home", "commitments:commitment_list", "plans:about_figures"]

    def location(self, item):
        return reverse(item)


class PlanSitemap(LocalisedSitemap):
    priority = 0.8

    def items(self):
        return selectors.plan_list_public().order_by("slug")

    def lastmod(self, plan):
        return plan.updated_at
