"""Pages of reports: ask for one, watch it being made, download it, retry it.

The status page polls itself with htmx (the `_status.html` partial every two seconds while the
report is queued or being made) and offers a plain refresh link, so it works without JavaScript.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from socialvalue.core.permissions import can
from socialvalue.core.web import require_perm
from socialvalue.reports import registry, selectors, services
from socialvalue.reports.models import Report, ReportStatus

PAGE_SIZE = 25


def _report(request: HttpRequest, pk: int) -> Report:
    report = selectors.report_get(pk=pk)
    if not request.user.is_authenticated and (
        report is None or not can(request.user, "socialvalue.view_report", report)
    ):
        # Signed out, and not a public report: sign in first, as for any other page (whether
        # the report exists or not, so the answer reveals nothing).
        raise SignInFirst
    if report is None:
        raise Http404("No such report.")
    require_perm(request, "socialvalue.view_report", report)
    return report


class SignInFirst(Exception):
    """The page needs a signed-in person."""


def _signed_in_first(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SignInFirst:
            return redirect_to_login(request.get_full_path())

    return wrapper


def _kind(report: Report) -> registry.ReportKind | None:
    try:
        return registry.get(report.kind)
    except registry.UnknownReportKind:
        return None


def _subject_or_none(kind: registry.ReportKind, report: Report):
    try:
        return services.subject_of(kind, report.subject_id)
    except services.SubjectNotFound:
        return None


@require_POST
@_signed_in_first
def report_request(request: HttpRequest, kind: str, subject_id: int) -> HttpResponse:
    """Ask for a report of a subject; refused before anything is written unless the person may
    see the subject (404 where they may not know it exists)."""
    try:
        report_kind = registry.get(kind)
        subject = services.subject_of(report_kind, subject_id)
    except (registry.UnknownReportKind, services.SubjectNotFound):
        if not request.user.is_authenticated:
            raise SignInFirst from None
        raise Http404("No such report.") from None
    if not request.user.is_authenticated and not services.may_have(
        request.user, report_kind, subject
    ):
        raise SignInFirst
    require_perm(request, report_kind.permission, subject)
    options = {key: request.POST.get(key, "") for key in ("year", "detail") if key in request.POST}
    try:
        report = services.report_request(
            kind_key=kind, subject_id=subject.pk, user=request.user, options=options
        )
    except ValueError as error:
        messages.error(request, str(error))
        back = request.POST.get("back", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = "dashboard" if request.user.is_authenticated else "home"
        return redirect(back)
    return redirect("report-detail", pk=report.pk)


@_signed_in_first
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report's progress, then its download; the htmx poll gets the status partial alone."""
    report = _report(request, pk)
    kind = _kind(report)
    context = {
        "report": report,
        "kind": kind,
        "versions": list(selectors.versions_of(report=report)[:10]),
        "polling": not report.is_finished,
    }
    if request.htmx:
        response = render(request, "reports/_status.html", context)
    else:
        response = render(request, "reports/detail.html", context)
    # One address answers with the whole page or the partial: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@_signed_in_first
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF as an attachment, only after the same check as the report's page."""
    report = _report(request, pk)
    if report.status != ReportStatus.READY or not report.file:
        raise Http404("This report is not ready.")
    kind = _kind(report)
    name = slugify(report.title)[:120] or "report"
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file of this report is missing; ask for the report again.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}-v{report.version}.pdf",
        content_type="application/pdf",
    )
    if kind is None or kind.is_confidential(_subject_or_none(kind, report)):
        response["Cache-Control"] = "no-store, private"
    else:
        response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@_signed_in_first
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    services.report_retry(report=report, user=request.user)
    return redirect("report-detail", pk=report.pk)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports this person asked for, newest first."""
    page = Paginator(selectors.reports_requested_by(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "reports/list.html", {"page_obj": page, "reports": page.object_list})
