"""No browser or proxy keeps a copy of what a signed-in person was shown.

Almost every page behind sign-in shows bid contents, evaluation marks or personal data, so the
rule goes by who asked rather than by page: a page or download added later is covered without
anyone having to remember it. Public pages for signed-out visitors stay cacheable, and static
assets never reach this middleware (WhiteNoise answers them first).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class PrivateResponsesMiddleware:
    """Marks every response to a signed-in person `Cache-Control: no-store, private`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Adds no-cache, no-store, must-revalidate, private and max-age=0 to whatever the
            # view set, and an Expires in the past for HTTP/1.0 caches.
            add_never_cache_headers(response)
        return response
