"""Public pages kept in the shared cache for signed-out visitors, briefly.

A page that reads the same for every signed-out visitor (an authority's market statement) is
rendered once per PUBLIC_PAGE_SECONDS and served from the shared cache. Only a plain visit is
served or stored: no session or messages cookie (a flash message or a half-finished sign-in
shows), a GET answered 200 without setting a cookie (a page with a CSRF token sets one). The
content-security nonce is fresh on every response: the stored copy holds a marker where the
page's nonce stood. `forget_public_pages` drops every stored page (a publication changes them).

With the embedded default (the cache is a database table) nothing is stored: reading the copy
would cost a query or two, as much as the page it saves, and storing one several more.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

GENERATION_KEY = "public-pages:generation"
NONCE_MARKER = "\x00csp-nonce\x00"


def shared_cache_is_fast() -> bool:
    """The shared cache is not the database (Redis in production), so reading it saves work."""
    return settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.db.DatabaseCache"


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def forget_public_pages() -> None:
    """Every stored public page is stale: a new generation of keys starts."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet, so nothing stored
        cache.add(GENERATION_KEY, 1, None)


def _plain_visit(request: HttpRequest) -> bool:
    return (
        shared_cache_is_fast()
        and request.method == "GET"
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def cache_for_signed_out(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view` to plain signed-out visits from the shared cache (see the module)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _plain_visit(request):
            return view(request, *args, **kwargs)
        # The day is in the key: pages show what is in force today.
        key = f"public-page:{_generation()}:{timezone.localdate()}:{request.get_full_path()}"
        stored = cache.get(key)
        # django-csp's lazy nonce: made (and put in the header) when first read as text.
        nonce = getattr(request, "csp_nonce", None)
        if stored is not None:
            content, content_type = stored
            if nonce is not None and NONCE_MARKER in content:
                content = content.replace(NONCE_MARKER, str(nonce))
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies and not response.streaming:
            content = response.content.decode(response.charset)
            if nonce is not None and str(nonce) in content:
                content = content.replace(str(nonce), NONCE_MARKER)
            cache.set(key, (content, response["Content-Type"]), settings.PUBLIC_PAGE_SECONDS)
        return response

    return wrapped
