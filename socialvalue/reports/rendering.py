"""From a report kind's template to a tagged PDF (WeasyPrint's PDF/UA-1 variant).

Nothing is fetched while rendering: the print stylesheet is read from the service's own static
files, fonts come from the machine's fontconfig, charts are inline data: URIs, and the URL fetcher
refuses every other address, so text typed into the service can never make a worker reach out.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone

from socialvalue.reports.registry import ReportKind

PRINT_STYLESHEET = "reports/print.css"
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    page_count: int
    digest: str
    seconds: float


@cache
def _stylesheet():
    from weasyprint import CSS

    # From the source folder when it is there (development, workers beside the code), else
    # from the collected static files.
    path = finders.find(PRINT_STYLESHEET)
    if path:
        with open(path, encoding="utf-8") as handle:
            return CSS(string=handle.read())
    with staticfiles_storage.open(PRINT_STYLESHEET) as handle:
        return CSS(string=handle.read().decode("utf-8"))


def _fetcher():
    from weasyprint.urls import URLFetcher

    # data: only (the charts); any other URL in a document is dropped with a warning.
    return URLFetcher(allowed_protocols={"data"}, timeout=1)


def report_html(
    kind: ReportKind, subject, options: dict, *, title: str, version: int = 1, made_at=None
) -> str:
    """The report's HTML: the kind's template with its data, the same partials as its page."""
    context = {
        "kind": kind,
        "subject": subject,
        "options": options,
        "document_title": title,
        "version": version,
        "made_at": made_at or timezone.now(),
        "service_name": settings.SERVICE_NAME,
        "printing": True,
        "confidential": kind.is_confidential(subject),
        **kind.load(subject, options),
    }
    return render_to_string(kind.template, context)


def html_to_pdf(html: str) -> RenderedReport:
    """Lay out and write a tagged PDF; the language and title come from the HTML."""
    from weasyprint import HTML

    started = time.perf_counter()
    document = HTML(string=html, url_fetcher=_fetcher(), base_url="data:,").render(
        stylesheets=[_stylesheet()], pdf_variant=PDF_VARIANT, pdf_tags=True
    )
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    return RenderedReport(
        pdf=pdf,
        page_count=len(document.pages),
        digest=hashlib.sha256(pdf).hexdigest(),
        seconds=time.perf_counter() - started,
    )
