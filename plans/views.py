from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from commitments import changelog
from commitments import selectors as commitment_selectors
from consultations.selectors import meetings as consultation_selectors
from consultations.selectors.consultations import consultation_list_public
from ogp_portal.embed import embeddable, iframe_code
from ogp_portal.page_cache import public_page
from ogp_portal.text import localised

from . import calendars, selectors

COMMITMENTS_PER_PAGE = 20
# An embedded plan lists this many commitments, then links to the rest.
EMBED_COMMITMENTS = 15


@require_safe
@public_page
def home(request):
    plans = list(selectors.plan_list_public())
    return render(
        request,
        "plans/home.html",
        {
            "plans": plans,
            "jurisdictions": sorted({plan.jurisdiction for plan in plans}, key=str),
            "figures": selectors.headline_figures(),
            "deadlines": selectors.upcoming_deadlines(),
            "changes": changelog.latest_changes(),
        },
    )


@require_safe
@public_page
def plan_detail(request, slug):
    plan = selectors.plan_get_public(slug=slug)
    page = Paginator(
        commitment_selectors.commitment_list_public().filter(plan=plan), COMMITMENTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "commitments": page,
            "narrative": plan.narrative_sections(),
            "monitoring_body": selectors.plan_monitoring_body(plan=plan),
            "consultations": list(consultation_list_public(plan_slug=plan.slug)),
            "participation": consultation_selectors.plan_participation(plan),
            "embed_code": iframe_code(
                request,
                path=reverse("embed:plan", kwargs={"slug": plan.slug}),
                title=_("Progress of %(title)s") % {"title": localised(plan, "title").text},
                height=480,
            ),
        },
    )


@embeddable
@require_safe
@public_page
def plan_embed(request, slug):
    """The plan's progress on a small page that other websites may frame."""
    plan = selectors.plan_get_public(slug=slug)
    commitments = commitment_selectors.commitment_list_public().filter(plan=plan)
    return render(
        request,
        "plans/plan_embed.html",
        {
            "plan": plan,
            "figures": selectors.headline_figures(plan=plan),
            "commitments": commitments[:EMBED_COMMITMENTS],
            "page_url": request.build_absolute_uri(plan.get_absolute_url()),
        },
    )


@require_safe
@public_page
def plan_calendar(request, slug):
    """The plan's meetings, consultations and milestone deadlines as an iCalendar."""
    plan = selectors.plan_get_public(slug=slug)
    calendar = calendars.plan_calendar(
        plan=plan,
        meetings=consultation_selectors.meeting_list_public().filter(plan=plan),
        milestones=commitment_selectors.milestone_list_public().filter(
            commitment__plan=plan, end_date__isnull=False
        ),
        consultations=consultation_selectors.consultations_published().filter(plan=plan),
        request=request,
    )
    return HttpResponse(calendar, content_type="text/calendar; charset=utf-8")


@require_safe
@public_page
def about_figures(request):
    return render(request, "plans/about_figures.html")


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /*/admin/", "Allow: /", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
