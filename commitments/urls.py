from django.urls import path

from ogp_portal.page_cache import public_page

from . import feeds, views

app_name = "commitments"

urlpatterns = [
    path("", views.commitment_list, name="commitment_list"),
    path("<str:identifier>/", views.commitment_detail, name="commitment_detail"),
    path("<str:identifier>/poster.svg", views.commitment_poster, name="commitment_poster"),
    path(
        "<str:identifier>/changes.rss",
        public_page(feeds.CommitmentChangesFeed()),
        name="commitment_changes_rss",
    ),
    path(
        "<str:identifier>/changes.atom",
        public_page(feeds.CommitmentChangesAtomFeed()),
        name="commitment_changes_atom",
    ),
]
