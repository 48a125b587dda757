"""The JSON API under /api/: each feature adds its endpoints here, and the OpenAPI schema describes them."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI from the service's static files (drf-spectacular-sidecar). Its stylesheet draws
    # icons as data: SVG images, allowed on this page only; scripts stay 'self' alone.
    path(
        "docs/",
        csp_update({"img-src": "data:"})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("act/", include("socialvalue.act.api")),
    path("market-statements/", include("socialvalue.definitions.api")),
    path("consultations/", include("compact.api")),
    path("", include("tenders.api.urls")),
    path("", include("measurement.delivery.api")),
]
