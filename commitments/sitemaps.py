from plans.sitemaps import LocalisedSitemap

from . import selectors


class CommitmentSitemap(LocalisedSitemap):
    priority = 0.7

    def items(self):
        return selectors.commitment_list_public().order_by("identifier")

    def lastmod(self, commitment):
        return commitment.updated_at
