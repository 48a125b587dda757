"""What every JSON endpoint shares: permission through `socialvalue.core.permissions`, and the
schema of its error answers.

An endpoint names its rules (`permission`, and `object_permission` for one object) and lists
`RulePermission` in its permission classes, so the API decides who may call it as the pages do.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.cache import get_conditional_response, set_response_etag
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from socialvalue.core import api_tokens
from socialvalue.core.permissions import can, require, scope_to_organisation


class RulePermission(BasePermission):
    """Asks `can(user, view.permission)` of every call and `view.object_permission` of the object
    an endpoint answers about (`check_object_permissions`). Where the caller may not know the
    object exists the answer is a 404, as on the pages (`permissions.require`)."""

    def has_permission(self, request, view) -> bool:
        return can(request.user, view.permission)

    def has_object_permission(self, request, view, obj) -> bool:
        try:
            require(request.user, view.object_permission, obj)
        except Http404:
            raise exceptions.NotFound(getattr(view, "not_found", None)) from None
        except PermissionDenied:
            return False
        return True


# An object's id in a path: what the URL's int converter and a 64-bit key accept (a negative or
# larger number is not a route at all, and would get the HTML 404 page).
ID_IN_PATH = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
    OpenApiParameter.PATH,
    description="The object's id.",
)


class DetailSerializer(serializers.Serializer):
    """A refusal or a thing not found: DRF's {"detail": ...}."""

    detail = serializers.CharField()


FIELD_ERRORS = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"value": ["Choose a contract value from the list."]},
    },
    description="Keyed by the input at fault, each with its messages.",
)


class ConditionalGetMixin:
    """Conditional answers for a read-only endpoint: every 200 carries an ETag made from its
    body, and a GET or HEAD whose If-None-Match names it is answered 304 with no body, so a
    client polling for changes downloads each answer once."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if hasattr(response, "render"):
            response.render()
        if not response.has_header("ETag"):
            set_response_etag(response)
        return get_conditional_response(request._request, etag=response["ETag"], response=response)


class ApiTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <key>` with a person's API token (socialvalue.core.api_tokens).
    The request acts as the token's person with their roles in the token's organisation alone
    (`permissions.scope_to_organisation`), so every rule answers for that organisation only."""

    keyword = "Bearer"

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        if len(words) != 2:
            raise exceptions.AuthenticationFailed("Give the token after 'Bearer', with no spaces.")
        try:
            key = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("This API token is not valid.") from None
        token = api_tokens.token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("This API token is not valid, or was revoked.")
        scope_to_organisation(token.user, token.organisation_id)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes `ApiTokenAuthentication`: a bearer token."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer"
        )
