"""The address a request came from, trusting X-Forwarded-For only through the configured proxies.

One rule for sign-in lockouts (django-axes), rate limits (django-ratelimit) and, through DRF's
NUM_PROXIES, the API throttles: with NUM_PROXIES = 0 the client is the connecting address and any
X-Forwarded-For header is ignored; with N proxies each appending to the header, the client is the
N-th address from its right-hand end, the one the outermost trusted proxy saw. Entries to its left
were written by the client and are never read.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address as text."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    forwarded = request.headers.get("x-forwarded-for")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    candidate = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # A trusted proxy wrote something that is not an address: count the request against the
        # proxy rather than against text that could be anything.
        return remote
