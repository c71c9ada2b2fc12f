"""The co-creation record: a public page per plan of its meetings."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from consultations.selectors import meetings as selectors
from ogp_portal.page_cache import public_page

PAST_MEETINGS_PER_PAGE = 20


@require_safe
@public_page
def plan_cocreation(request, slug):
    plan = selectors.plan_get_for_cocreation(slug=slug)
    meetings = selectors.plan_meetings_public(plan=plan)
    past = Paginator(meetings["past"], PAST_MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/meetings/plan_cocreation.html",
        {
            "plan": plan,
            "participation": selectors.plan_participation(plan),
            "upcoming": meetings["upcoming"],
            "past": past,
        },
    )


urlpatterns = [
    path("plans/<slug:slug>/co-creation/", plan_cocreation, name="plan_cocreation"),
]
