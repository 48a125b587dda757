"""The footer's pages: accessibility statement, privacy notice and cookies.

They read the settings that decide what they describe (cookie names and lifetimes, contact), so the
pages stay true for each installation."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _operator() -> dict:
    return {
        "operator": settings.SERVICE_OPERATOR,
        "contact_email": settings.SERVICE_CONTACT_EMAIL,
    }


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "socialvalue/about/accessibility.html", _operator())


def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "socialvalue/about/privacy.html",
        {**_operator(), "sign_in_lockout_minutes": settings.AXES_COOLOFF_TIME.seconds // 60},
    )


def _days(seconds: int) -> int:
    return round(seconds / 86400)


def cookies(request: HttpRequest) -> HttpResponse:
    """Every cookie the service sets, named as settings name them (tests/core/test_about_pages.py
    compares this list with what a browser receives)."""
    session_lifetime = (
        "until you close your browser"
        if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        else f"{_days(settings.SESSION_COOKIE_AGE)} days, or until you sign out"
    )
    rows = [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": "Keeps you signed in as you move from page to page.",
            "expires": session_lifetime,
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": "Checks that a form you send came from this service and not from another "
            "website (protection against cross-site request forgery).",
            "expires": f"{_days(settings.CSRF_COOKIE_AGE)} days",
        },
        {
            "name": "messages",
            "purpose": "Carries a confirmation (such as ‘Bid submitted’) to the next page you see. "
            "Set only when there is a message to show.",
            "expires": "when the message has been shown, or when you close your browser",
        },
    ]
    return render(request, "socialvalue/about/cookies.html", {"cookies": rows})
