"""PDF reports: each kind for the demo data, tagged; refusals before anything is queued; one
report per version of the data; failures recorded and retried; downloads; the command line."""

from __future__ import annotations

import io
from dataclasses import replace

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from socialvalue.core import jobs
from socialvalue.models import AuditEntry, Report, ReportStatus, Role
from socialvalue.reports import registry, rendering, services
from tests.factories import AuthorityFactory, person_with_role


def _request(client, kind: str, subject_id: int, capture, **data):
    with capture(execute=True):
        return client.post(reverse("report-request", args=[kind, subject_id]), data)


def _pdf_text(report: Report) -> tuple[pypdf.PdfReader, str]:
    with report.file.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Text extraction breaks lines where the layout does; compare words, not line breaks.
    return reader, " ".join(text.split())


def _assert_tagged(reader: pypdf.PdfReader, title: str) -> None:
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == title
    assert "pdfuaid" in reader.xmp_metadata.stream.get_data().decode("utf-8", "replace")


def _figure_alts(reader: pypdf.PdfReader) -> list[str]:
    """The alternative text of every figure in the PDF's structure tree."""
    found = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt")))
            if node.get("/K") is not None:
                walk(node["/K"])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.django_db
def test_act_consideration_record_has_the_check_its_reasons_and_the_consideration(
    demo, client_for, django_capture_on_commit_callbacks
):
    client = client_for(demo.commissioner)
    response = _request(
        client, "act-consideration", demo.contract.pk, django_capture_on_commit_callbacks
    )
    report = Report.objects.get()
    assert response["Location"] == reverse("report-detail", args=[report.pk])
    assert report.status == ReportStatus.READY, report.error
    reader, text = _pdf_text(report)
    _assert_tagged(reader, report.title)
    record = demo.contract.assessments.get()
    assert "The Social Value Act applies" in text
    assert "Home care and reablement support" in text
    # The threshold and value compared, in pounds, as the record page shows them.
    answer = record.result
    for figure in ("threshold", "value_compared"):
        pounds = f"£{float(answer[figure]):,.2f}"
        assert pounds in text, figure
    assert answer["reasons"][0][:40] in text
    assert record.wellbeing_improvement.split()[0] in text
    for priority in record.relevant_priorities:
        assert priority["title"][:30] in text
    # A source is printed with its address, since a link cannot be followed on paper.
    assert answer["source"]["url"][:30] in text.replace(" ", "")
    assert report.page_count == len(reader.pages)
    assert "Page 1 of" in text


@pytest.mark.django_db
def test_market_statement_is_public_and_lists_priorities_and_measures(
    demo, client, django_capture_on_commit_callbacks
):
    from socialvalue.definitions.registrations import DEMO_PRIORITIES

    # Signed out: the market statement is public, so is its PDF.
    response = _request(
        client, "market-statement", demo.council.pk, django_capture_on_commit_callbacks
    )
    report = Report.objects.get()
    assert response.status_code == 302 and report.requested_by is None
    reader, text = _pdf_text(report)
    _assert_tagged(reader, report.title)
    assert "Contents" in text
    for _, outcome, _, links in DEMO_PRIORITIES:
        assert outcome[:40] in text
        for code, *_ in links:
            assert code in text
    # A target and a proxy value, as the page shows them.
    assert "12 person- month, per £1 million of contract value" in text
    assert "£400.14" in text
    download = client.get(reverse("report-download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "no-store" not in download["Cache-Control"]


@pytest.mark.django_db
def test_annual_report_counts_checks_weightings_and_committed_value(
    demo, client_for, django_capture_on_commit_callbacks
):
    from django.db.models import Sum

    from socialvalue.reports.annual import current_year
    from tenders.models import Bid, BidStatus

    client = client_for(demo.procurement)
    _request(client, "annual", demo.council.pk, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.status == ReportStatus.READY, report.error
    assert report.options == {"year": current_year()}
    reader, text = _pdf_text(report)
    _assert_tagged(reader, report.title)
    assert "6 checks recorded in the year; consultation planned for 5." in text
    assert "Applies 5" in text and "Does not apply 1" in text
    assert "Community meals and food support service" in text
    assert "15%" in text
    totals = sorted(
        Bid.objects.unscoped(reason="the test reads what was stored")
        .filter(tender=demo.closed_tender, status=BidStatus.SUBMITTED)
        .annotate(total=Sum("commitments__monetised_value"))
        .values_list("total", flat=True)
    )
    assert len(totals) == 3
    assert f"£{totals[0]:,.2f} to £{totals[-1]:,.2f}" in text
    # Delivered value has its own section (tests/reports/test_delivery_reports.py).
    assert "Social value delivered under contracts" in text
    # Each chart is a tagged figure with its alternative text, and its figures are in a table.
    alts = _figure_alts(reader)
    assert len(alts) == 4
    assert "6 checks recorded: applies: 5; does not apply: 1" in alts[0]
    assert "Community meals and food support service: 15%" in alts[1]
    assert "across 3 bids" in alts[2]
    assert "delivered £" in alts[3]  # the demo contract's delivery in the year
    assert "by answer: the figures" in text


@pytest.mark.django_db
def test_annual_report_refuses_a_year_in_the_future(demo, client_for):
    from socialvalue.reports.annual import current_year

    client = client_for(demo.commissioner)
    response = client.post(
        reverse("report-request", args=["annual", demo.council.pk]),
        {"year": str(current_year() + 1), "back": reverse("dashboard")},
        follow=True,
    )
    assert "Enter a financial year from 2012" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_report_the_person_may_not_see_is_refused_before_anything_is_queued(
    demo, client_for, django_capture_on_commit_callbacks
):
    other = person_with_role(Role.COMMISSIONER, AuthorityFactory())
    client = client_for(other)
    audit_before = AuditEntry.objects.count()
    for kind, subject in (("act-consideration", demo.contract.pk), ("annual", demo.council.pk)):
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(reverse("report-request", args=[kind, subject]))
        assert response.status_code == 404
        assert callbacks == []
    assert not Report.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    # A bidder cannot have the council's annual report either, nor the service's own refusal.
    with pytest.raises(services.ReportRefused):
        services.report_request(kind_key="annual", subject_id=demo.council.pk, user=demo.bidder)
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_asking_again_returns_the_same_report_until_the_data_changes(
    demo, client_for, django_capture_on_commit_callbacks
):
    client = client_for(demo.commissioner)
    _request(client, "act-consideration", demo.contract.pk, django_capture_on_commit_callbacks)
    first = Report.objects.get()
    # A colleague asking for the same record is handed the same report: no second render.
    colleague = client_for(demo.procurement)
    response = _request(
        colleague, "act-consideration", demo.contract.pk, django_capture_on_commit_callbacks
    )
    assert response["Location"] == reverse("report-detail", args=[first.pk])
    assert Report.objects.count() == 1
    first.refresh_from_db()
    assert first.attempts == 1
    # Running the task again for a ready report does nothing new.
    finished = first.finished_at
    services.render(first.pk)
    first.refresh_from_db()
    assert first.finished_at == finished and first.attempts == 1
    # The data changes: a new version, the old one kept with its file.
    type(demo.contract).objects.filter(pk=demo.contract.pk).update(
        description="Now with a night service as well."
    )
    _request(client, "act-consideration", demo.contract.pk, django_capture_on_commit_callbacks)
    second = Report.objects.exclude(pk=first.pk).get()
    assert second.version == 2 and second.status == ReportStatus.READY
    assert "night service" in _pdf_text(second)[1]
    first.refresh_from_db()
    assert first.status == ReportStatus.READY and first.file.storage.exists(first.file.name)
    assert first.file.name != second.file.name


@pytest.fixture
def broken_kind(settings, tmp_path):
    """A kind whose template fails when rendered (a route that does not exist)."""
    folder = tmp_path / "templates"
    (folder / "reports").mkdir(parents=True)
    (folder / "reports" / "broken.html").write_text(
        '{% extends "reports/document.html" %}{% block body %}{% url "no-such-page" %}{% endblock %}'
    )
    (folder / "reports" / "mended.html").write_text(
        '{% extends "reports/document.html" %}{% block body %}<p>Mended for {{ subject.name }}</p>{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    kind = registry.register(
        registry.ReportKind(
            key="test-broken",
            title="Broken",
            subject_model="socialvalue.Organisation",
            permission="socialvalue.view_organisation",
            template="reports/broken.html",
            load=lambda subject, options: {},
            data_version=lambda subject, options: "1",
            organisation_of=lambda organisation: organisation,
        )
    )
    yield kind
    registry._KINDS.pop("test-broken", None)


@pytest.mark.django_db
def test_a_template_error_leaves_the_report_failed_with_its_message_and_retry_works(
    demo, broken_kind, client_for, django_capture_on_commit_callbacks
):
    client = client_for(demo.commissioner)
    _request(client, "test-broken", demo.council.pk, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.status == ReportStatus.FAILED
    assert "NoReverseMatch" in report.error and "no-such-page" in report.error
    page = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "no-such-page" in page and "Try again" in page
    assert client.get(reverse("report-download", args=[report.pk])).status_code == 404
    # The template is mended (a new release); the person retries from the page.
    registry.register(replace(broken_kind, template="reports/mended.html"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report-retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.error == "" and report.attempts == 2
    assert "Mended for Northfield District Council" in _pdf_text(report)[1]


@pytest.mark.django_db
def test_a_transient_error_puts_the_report_back_in_the_queue_for_the_tasks_retry(
    demo, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    calls = []
    real = services.make

    def flaky(report):
        calls.append(report.pk)
        if len(calls) == 1:
            raise OperationalError("the database went away for a moment")
        return real(report)

    monkeypatch.setattr(services, "make", flaky)
    with django_capture_on_commit_callbacks(execute=False):
        report = services.report_request(
            kind_key="act-consideration", subject_id=demo.contract.pk, user=demo.commissioner
        )
    with pytest.raises(OperationalError):
        services.render(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED and report.error == ""
    # The task retries such errors itself, with backoff, and is acknowledged only when done.
    task = services.render_report
    assert OperationalError in task.autoretry_for and task.retry_backoff and task.acks_late
    services.render(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.attempts == 2


@pytest.mark.django_db
def test_the_sweep_resends_a_report_left_queued_or_rendering(
    demo, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        report = services.report_request(
            kind_key="act-consideration", subject_id=demo.contract.pk, user=demo.commissioner
        )
    # The broker lost the message: nothing ran.
    assert Report.objects.get(pk=report.pk).status == ReportStatus.QUEUED
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.RENDERING, started_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        jobs.sweep_stale()
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.attempts == 1


@pytest.mark.django_db
def test_the_page_polls_with_htmx_and_offers_a_refresh_link(demo, client_for):
    report = Report.objects.create(
        kind="act-consideration",
        subject_id=demo.contract.pk,
        title="Social Value Act consideration record",
        organisation=demo.council,
        data_version="queued",
    )
    client = client_for(demo.commissioner)
    page = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert "vendor/htmx/htmx.min.js" in page and "<html" in page
    assert 'hx-trigger="every 2s"' in page
    assert f'href="{reverse("report-detail", args=[report.pk])}">refresh the page' in page
    partial = client.get(reverse("report-detail", args=[report.pk]), HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and 'id="report-status"' in body and "Queued" in body
    # Finished: the partial stops polling.
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error="broken")
    body = client.get(
        reverse("report-detail", args=[report.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in body and "Try again" in body


@pytest.mark.django_db
def test_a_confidential_report_downloads_as_an_attachment_never_stored_by_caches(
    demo, client_for, django_capture_on_commit_callbacks
):
    client = client_for(demo.commissioner)
    _request(client, "act-consideration", demo.contract.pk, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    response = client.get(reverse("report-download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="social-value-act')
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # Stored under a name no web server serves: the storage API, not a media URL.
    assert report.file.name == f"reports/{demo.council.pk}/{report.pk}.pdf"
    client.logout()
    signed_out = client.get(reverse("report-download", args=[report.pk]))
    assert signed_out.status_code == 302 and "/sign-in/" in signed_out["Location"]


@pytest.mark.django_db
def test_typed_text_is_escaped_in_the_report_html(demo):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    type(demo.contract).objects.filter(pk=demo.contract.pk).update(
        title=payload, description=payload
    )
    demo.contract.refresh_from_db()
    kind = registry.get("act-consideration")
    html = rendering.report_html(kind, demo.contract, {}, title=payload)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_render_report_command_writes_the_pdf_or_refuses(demo, tmp_path):
    out = tmp_path / "record.pdf"
    call_command(
        "render_report",
        "act-consideration",
        str(demo.contract.pk),
        "--as",
        demo.commissioner.email,
        "--out",
        str(out),
    )
    reader = pypdf.PdfReader(out)
    assert "Home care and reablement support" in reader.pages[0].extract_text()
    assert not Report.objects.exists()  # nothing stored or queued
    with pytest.raises(CommandError, match="may not have this report"):
        call_command(
            "render_report",
            "annual",
            str(demo.council.pk),
            "--as",
            demo.bidder.email,
            "--out",
            str(tmp_path / "no.pdf"),
        )
    assert not (tmp_path / "no.pdf").exists()
    with pytest.raises(CommandError, match="No kind of report is called"):
        call_command("render_report", "nonsense", "1", "--as", demo.bidder.email, "--out", "x")


@pytest.mark.django_db
def test_the_list_and_a_reports_page_hold_a_constant_number_of_queries(
    demo, client_for, django_assert_max_num_queries
):
    Report.objects.bulk_create(
        Report(
            kind="act-consideration",
            subject_id=demo.contract.pk,
            title=f"Social Value Act consideration record {n}",
            organisation=demo.council,
            requested_by=demo.commissioner,
            data_version=f"v{n}",
            version=n + 1,
        )
        for n in range(40)
    )
    client = client_for(demo.commissioner)
    client.get(reverse("report-list"))  # the session and navigation, read once
    with django_assert_max_num_queries(12):
        page = client.get(reverse("report-list")).content.decode()
    assert page.count("Social Value Act consideration record") == 25  # a page of them
    assert "Page 1 of 2" in page
    report = Report.objects.order_by("pk").first()
    with django_assert_max_num_queries(14):
        assert client.get(reverse("report-detail", args=[report.pk])).status_code == 200


@pytest.mark.django_db
def test_a_refused_option_goes_back_only_to_a_page_of_this_service(demo, client_for):
    client = client_for(demo.commissioner)
    url = reverse("report-request", args=["annual", demo.council.pk])
    away = client.post(url, {"year": "1999", "back": "https://elsewhere.example/"})
    assert away["Location"] == reverse("dashboard")
    back = client.post(url, {"year": "1999", "back": "/dashboard/?x=1"})
    assert back["Location"] == "/dashboard/?x=1"
