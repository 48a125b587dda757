"""URLs of the opportunities API (included under /api/ by socialvalue/api_urls.py)."""

from django.urls import path

from tenders.api import views

urlpatterns = [
    path("opportunities/", views.OpportunityListView.as_view(), name="api-opportunities"),
    path("tenders/<int:pk>/", views.TenderDetailView.as_view(), name="api-tender-detail"),
]
