"""The public API, version 1, at /api/v1/ (not language-prefixed: the
language is a parameter, see ogp_portal/api.py).
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from commitments.api import CommitmentViewSet, IndicatorViewSet, MilestoneViewSet
from consultations.api import ConsultationViewSet, MeetingViewSet
from monitoring.report_api import ReportViewSet
from ogp_portal.api import not_found
from plans.api import JurisdictionViewSet, PlanViewSet

app_name = "api"

router = DefaultRouter()
router.register("jurisdictions", JurisdictionViewSet, basename="jurisdiction")
router.register("plans", PlanViewSet, basename="plan")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("consultations", ConsultationViewSet, basename="consultation")
router.register("reports", ReportViewSet, basename="report")

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(router.urls)),
    # Anything else under /api/ (with APPEND_SLASH, every path ends up here with a slash).
    re_path(r"^[\s\S]*/$", not_found),
]
