"""URLs of the opportunities API (included under /api/ by socialvalue/api_urls.py)."""

from django.urls import path

from tenders.api import ocds, views

urlpatterns = [
    path("opportunities/", views.OpportunityListView.as_view(), name="api-opportunities"),
    path("tenders/<int:pk>/", views.TenderDetailView.as_view(), name="api-tender-detail"),
    path(
        "tenders/<int:pk>/clarifications/",
        views.TenderClarificationListView.as_view(),
        name="api-tender-clarifications",
    ),
    path("bids/", views.OwnBidListView.as_view(), name="api-own-bids"),
    path("awards/", views.AwardListView.as_view(), name="api-awards"),
    path("ocds/releases/", ocds.ReleasePackageListView.as_view(), name="api-ocds-releases"),
    path(
        "ocds/tenders/<int:pk>/releases.json",
        ocds.TenderReleasesView.as_view(),
        name="api-ocds-tender-releases",
    ),
    path("ocds/extension/<path:name>", ocds.ExtensionFileView.as_view(), name="api-ocds-extension"),
]
