"""The embeddable pages, at /<lang>/embed/ (see ogp_portal/embed.py)."""

from django.urls import path

from commitments import views as commitment_views
from plans import views as plan_views

app_name = "embed"

urlpatterns = [
    path("plans/<slug:slug>/", plan_views.plan_embed, name="plan"),
    path("commitments/<str:identifier>/", commitment_views.commitment_embed, name="commitment"),
]
