"""The JSON API under /api/: each feature adds its endpoints here, and the OpenAPI schema describes them."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("act/", include("socialvalue.act.api")),
    path("", include("tenders.api.urls")),
]
