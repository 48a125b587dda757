"""URLs of reports (included by socialvalue/urls.py at /reports/)."""

from django.urls import path

from socialvalue.reports import views

urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/download/", views.report_download, name="report-download"),
    path("<int:pk>/retry/", views.report_retry, name="report-retry"),
    path("new/<slug:kind>/<int:subject_id>/", views.report_request, name="report-request"),
]
