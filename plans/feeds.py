"""RSS and Atom feeds of the public changes to the whole site and to one
plan (the shared machinery is in commitments/feeds.py)."""

from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from commitments.feeds import ChangeFeed, public_changes
from commitments.models import Commitment
from ogp_portal.text import localised

from . import selectors
from .models import ActionPlan


class SiteChangesFeed(ChangeFeed):
    def title(self):
        return _("Changes to the action plans")

    def link(self):
        return reverse("plans:home")

    def description(self):
        return _("What changed in the public action plans, commitments and milestones.")

    def items(self):
        return public_changes(
            plans=ActionPlan.objects.published(), commitments=Commitment.objects.published()
        )


class SiteChangesAtomFeed(SiteChangesFeed):
    feed_type = Atom1Feed
    subtitle = SiteChangesFeed.description


class PlanChangesFeed(ChangeFeed):
    def get_object(self, request, slug):
        return selectors.plan_get_public(slug=slug)

    def title(self, plan):
        return _("Changes to %(title)s") % {"title": localised(plan, "title").text}

    def link(self, plan):
        return plan.get_absolute_url()

    def description(self, plan):
        return _("What changed in this action plan, its commitments and their milestones.")

    def items(self, plan):
        return public_changes(
            plans=ActionPlan.objects.published().filter(pk=plan.pk),
            commitments=Commitment.objects.published().filter(plan=plan),
        )


class PlanChangesAtomFeed(PlanChangesFeed):
    feed_type = Atom1Feed
    subtitle = PlanChangesFeed.description
