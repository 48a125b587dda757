"""Open Contracting Data Standard releases of published tenders (tenders.ocds), for anyone.

GET /api/ocds/releases/ gives release packages, a page of tenders at a time (a cursor in the
`next` link), narrowed with `?since=`; GET /api/ocds/tenders/<id>/releases.json gives one
tender's releases; GET /api/ocds/extension/... serves the service's own OCDS extension, which
every package names in `extensions`. Public, no sign-in, throttled per address, with ETags.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from socialvalue.core.api import (
    FIELD_ERRORS,
    ID_IN_PATH,
    ConditionalGetMixin,
    DetailSerializer,
)
from tenders import selectors
from tenders.api.views import PublicReadView
from tenders.filters import ReleaseFilter
from tenders.ocds import releases as ocds
from tenders.ocds.schemas import EXTENSION_FILES

# What the schema promises of a package; the releases inside follow the OCDS release schema
# with the extensions the package lists (checked by tests/tenders/test_ocds.py).
PACKAGE_SCHEMA = {
    "type": "object",
    "required": ["uri", "version", "publishedDate", "publisher", "extensions", "releases"],
    "properties": {
        "uri": {"type": "string", "format": "uri"},
        "version": {"type": "string", "enum": ["1.1"]},
        "publishedDate": {"type": "string", "format": "date-time"},
        "publisher": {"type": "object", "properties": {"name": {"type": "string"}}},
        "license": {"type": "string"},
        "extensions": {"type": "array", "items": {"type": "string", "format": "uri"}},
        "releases": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["ocid", "id", "date", "tag", "initiationType"],
                "properties": {
                    "ocid": {"type": "string"},
                    "id": {"type": "string"},
                    "date": {"type": "string", "format": "date-time"},
                    "tag": {"type": "array", "items": {"type": "string"}},
                    "initiationType": {"type": "string", "enum": ["tender"]},
                },
            },
        },
        "links": {
            "type": "object",
            "properties": {
                "next": {"type": "string", "nullable": True},
                "prev": {"type": "string", "nullable": True},
            },
        },
    },
}


class OpenDataThrottle(AnonRateThrottle):
    scope = "open_data"  # its rate: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] in settings


class ReleasePagination(CursorPagination):
    """A page of tenders (all their releases), oldest first; the cursor survives new tenders."""

    ordering = "pk"
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class OpenDataView(ConditionalGetMixin, PublicReadView, APIView):
    permission = "tenders.list_published_tenders"
    throttle_classes = [OpenDataThrottle]

    def _package(self, tenders, *, since=None) -> dict:
        now = timezone.now()
        found = ocds.releases(
            tenders,
            bid_counts=selectors.submitted_bid_counts(tenders=tenders),
            parts=selectors.ocds_award_parts(tenders=tenders),
            now=now,
            since=since,
        )
        return ocds.package(
            found,
            uri=self.request.build_absolute_uri(),
            extension_url=self.request.build_absolute_uri(
                reverse("api-ocds-extension", args=["extension.json"])
            ),
            published=ocds.newest(found, default=now),
        )


@extend_schema(tags=["Open data (OCDS)"])
class ReleasePackageListView(OpenDataView):
    @extend_schema(
        operation_id="ocds_releases",
        summary="OCDS release packages",
        description=(
            "Every release of every published tender (a release when published, one per "
            "amendment, one when bidding closed, and after the award: the award, the end of "
            "standstill, each contract and each period of verified delivery), as an OCDS 1.1 "
            "release package. A page holds "
            "the releases of up to `page_size` tenders, oldest first; `links.next` gives the "
            "next page. `since` keeps releases dated at or after that moment."
        ),
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATETIME,
                description=ReleaseFilter.base_filters["since"].extra["help_text"],
            ),
            OpenApiParameter("cursor", OpenApiTypes.STR, description="The page (from `links`)."),
            OpenApiParameter(
                "page_size", OpenApiTypes.INT, description="Tenders a page, 1 to 100."
            ),
        ],
        responses={
            200: OpenApiResponse(PACKAGE_SCHEMA),
            400: FIELD_ERRORS,
            404: OpenApiResponse(DetailSerializer, description="The cursor is not one we gave."),
        },
    )
    def get(self, request):
        filterset = ReleaseFilter(request.query_params, queryset=selectors.ocds_tenders())
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        since = filterset.form.cleaned_data.get("since")
        paginator = ReleasePagination()
        tenders = list(paginator.paginate_queryset(filterset.qs, request, view=self) or [])
        data = self._package(tenders, since=since)
        data["links"] = {"next": paginator.get_next_link(), "prev": paginator.get_previous_link()}
        return Response(data)


@extend_schema(tags=["Open data (OCDS)"])
class TenderReleasesView(OpenDataView):
    object_permission = "tenders.read_published_tender"
    not_found = "No published tender has this id."

    @extend_schema(
        operation_id="ocds_tender_releases",
        summary="One tender's OCDS releases",
        description="Every release of one published tender, as an OCDS 1.1 release package.",
        parameters=[ID_IN_PATH],
        responses={200: OpenApiResponse(PACKAGE_SCHEMA), 404: OpenApiResponse(DetailSerializer)},
    )
    def get(self, request, pk: int):
        tenders = list(selectors.ocds_tenders().filter(pk=pk))
        if not tenders:
            raise NotFound(self.not_found)
        self.check_object_permissions(request, tenders[0])
        return Response(self._package(tenders))


@extend_schema(exclude=True)
class ExtensionFileView(OpenDataView):
    """The service's OCDS extension: extension.json, its schema patch and codelist, as files
    (OCDS tools read an extension from the address a package lists)."""

    def get(self, request, name: str):
        path = EXTENSION_FILES.get(name)
        if path is None:
            raise Http404
        content_type = {".csv": "text/csv", ".md": "text/markdown"}.get(
            name[name.rfind(".") :], "application/json"
        )
        return HttpResponse(path.read_bytes(), content_type=f"{content_type}; charset=utf-8")
