"""RSS and Atom feeds of the public changes to the whole site and to one
plan (the shared machinery is in commitments/feeds.py)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from commitments.feeds import ChangeFeed, public_changes
from commitments.models import Commitment
from consultations.selectors import meetings as consultation_selectors
from monitoring import selectors as report_selectors
from ogp_portal.text import localised

from . import selectors
from .models import ActionPlan


class SiteChangesFeed(ChangeFeed):
    def title(self):
        return _("Changes to the action plans")

    def link(self):
        return reverse("plans:home")

    def description(self):
        return _(
            "What changed in the public action plans, commitments and milestones; "
            "published monitoring reports and opened consultations."
        )

    def items(self):
        return public_changes(
            plans=ActionPlan.objects.published(),
            commitments=Commitment.objects.published(),
            reports=report_selectors.reports_public(),
            consultations=consultation_selectors.consultations_opened(),
        )


class SiteChangesAtomFeed(SiteChangesFeed):
    feed_type = Atom1Feed
    subtitle = SiteChangesFeed.description


class PlanChangesFeed(ChangeFeed):
    def get_object(self, request, slug):
        # The public plans, without the related rows the plan's page shows.
        return get_object_or_404(selectors.plan_list_public(), slug=slug)

    def title(self, plan):
        return _("Changes to %(title)s") % {"title": localised(plan, "title").text}

    def link(self, plan):
        return plan.get_absolute_url()

    def description(self, plan):
        return _(
            "What changed in this action plan, its commitments and their milestones; "
            "its published monitoring reports and opened consultations."
        )

    def items(self, plan):
        return public_changes(
            plans=ActionPlan.objects.published().filter(pk=plan.pk),
            commitments=Commitment.objects.published().filter(plan=plan),
            reports=report_selectors.reports_public().filter(period__plan=plan),
            consultations=consultation_selectors.consultations_opened().filter(plan=plan),
        )


class PlanChangesAtomFeed(PlanChangesFeed):
    feed_type = Atom1Feed
    subtitle = PlanChangesFeed.description
