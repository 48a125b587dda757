"""URLs of the measures catalogue (included at /catalogue/ by socialvalue/urls.py)."""

from django.urls import path

from measurement import views

urlpatterns = [
    path("", views.measure_list, name="measure-list"),
    path("export.csv", views.measure_export, name="measure-export"),
    path("import/", views.measure_import, name="measure-import"),
    path("import/confirm/", views.measure_import_confirm, name="measure-import-confirm"),
    path("<str:code>/", views.measure_detail, name="measure-detail"),
    path("<str:code>/new-proxy-version/", views.measure_proxy_add, name="measure-proxy-add"),
]
