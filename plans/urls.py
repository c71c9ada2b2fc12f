from django.urls import path

from ogp_portal.page_cache import public_page

from . import feeds, views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("about/figures/", views.about_figures, name="about_figures"),
    path("feeds/changes.rss", public_page(feeds.SiteChangesFeed()), name="changes_rss"),
    path("feeds/changes.atom", public_page(feeds.SiteChangesAtomFeed()), name="changes_atom"),
    path(
        "plans/<slug:slug>/changes.rss",
        public_page(feeds.PlanChangesFeed()),
        name="plan_changes_rss",
    ),
    path(
        "plans/<slug:slug>/changes.atom",
        public_page(feeds.PlanChangesAtomFeed()),
        name="plan_changes_atom",
    ),
    path("plans/<slug:slug>/calendar.ics", views.plan_calendar, name="plan_calendar"),
]
