from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    # The monitoring body's workspace.
    path("monitoring/", views.dashboard, name="dashboard"),
    path("monitoring/periods/<int:period_pk>/reports/", views.report_start, name="report_start"),
    path("monitoring/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path(
        "monitoring/reports/<int:pk>/commitments/<int:commitment_pk>/",
        views.assessment_edit,
        name="assessment_edit",
    ),
    path("monitoring/reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("monitoring/evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("monitoring/evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path(
        "monitoring/invitations/<str:token>/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    # The city's review.
    path("monitoring/review/", views.review_list, name="review_report_list"),
    path("monitoring/review/<int:pk>/", views.review_report, name="review_report"),
    path("monitoring/review/<int:pk>/publish/", views.report_publish, name="report_publish"),
    # Public pages.
    path("plans/<slug:slug>/reports/", views.public_plan_reports, name="public_plan_reports"),
    path(
        "plans/<slug:slug>/reports.csv",
        views.public_plan_reports_csv,
        name="public_plan_reports_csv",
    ),
    path(
        "plans/<slug:slug>/reports.json",
        views.public_plan_reports_json,
        name="public_plan_reports_json",
    ),
    path("reports/<int:pk>/", views.public_report, name="public_report"),
    path(
        "commitments/<str:identifier>/reports/",
        views.public_commitment_reports,
        name="public_commitment_reports",
    ),
]
