from django.urls import path

from . import open_data_views as views

app_name = "open_data"

urlpatterns = [
    path("", views.downloads, name="downloads"),
    path("<str:dataset>.<str:fmt>", views.download, name="download"),
    path("plans/<slug:slug>/<str:dataset>.<str:fmt>", views.download, name="plan_download"),
]
