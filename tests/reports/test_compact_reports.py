"""The Compact's reports: a consultation against the 12 weeks with the authority's response, and a
decommissioning assessment against the three months' notice and the Compact's commitment. Each
for the demo data, tagged; refused before anything is queued for someone who may not see the
page; the command line; a new version when the data changes."""

from __future__ import annotations

from datetime import timedelta

import pypdf
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from compact import checks
from compact import services as compact_services
from compact.demo import CLOSED_TITLE, DECOMMISSIONING_SERVICE
from compact.models import Consultation, DecommissioningAssessment
from socialvalue.models import AuditEntry, Report, ReportStatus
from tests.reports.test_reports import _assert_tagged, _pdf_text, _request


def _closed(demo) -> Consultation:
    return Consultation.objects.get(authority=demo.council, title=CLOSED_TITLE)


def _assessment(demo) -> DecommissioningAssessment:
    return DecommissioningAssessment.objects.get(
        authority=demo.council, service=DECOMMISSIONING_SERVICE
    )


def _users(demo):
    from socialvalue.core.demo import seed_core

    cast, _ = seed_core()
    return cast.users


@pytest.mark.django_db
def test_consultation_report_is_public_with_its_timeline_and_the_authoritys_response(
    demo, client, django_capture_on_commit_callbacks
):
    consultation = _closed(demo)
    # Signed out: a consultation that has opened is public, so is its report.
    response = _request(
        client, "compact-consultation", consultation.pk, django_capture_on_commit_callbacks
    )
    report = Report.objects.get()
    assert response.status_code == 302 and report.requested_by is None
    assert report.status == ReportStatus.READY, report.error
    reader, text = _pdf_text(report)
    _assert_tagged(reader, report.title)
    assert "Contents" in text and "Timeline against the Compact's 12 weeks" in text
    # The dates against the 12 weeks: the demo's closed one ran 100 days, 14 weeks and 2 days.
    twelve_weeks = consultation.starts_on + timedelta(weeks=12)
    assert f"{twelve_weeks:%-d %B %Y}" in text
    assert f"{consultation.ends_on:%-d %B %Y}" in text
    assert "Runs 14 weeks and 2 days (100 days): meets the Compact's 12 weeks." in text
    # The responses: how many, the published summary and how they changed the decision.
    assert "1 response received" not in text  # the demo's response went to the open one
    assert "0 responses received by the close." in text
    assert "Fourteen organisations responded." in text
    assert "we now split contracts into lots where we can" in text
    # The Compact's words, confirmed for this commitment, with its sources.
    assert "conduct 12-week formal written consultations" in text
    assert "Wording not confirmed" not in text
    assert "Compact Voice statement" in text
    download = client.get(reverse("report-download", args=[report.pk]))
    assert download.status_code == 200 and "no-store" not in download["Cache-Control"]


@pytest.mark.django_db
def test_a_short_consultation_without_a_published_response_shows_both_shortfalls(
    demo, django_capture_on_commit_callbacks, client_for
):
    today = timezone.localdate()
    consultation = compact_services.consultation_create(
        actor=demo.commissioner,
        authority=demo.council,
        title="Library opening hours",
        subject="service_design",
        description="Shorter hours at two branch libraries.",
        audience="Library users.",
        starts_on=today - timedelta(days=40),
        ends_on=today - timedelta(days=5),
        shorter_reason="The lease decision is due before the summer.",
    )
    client = client_for(demo.commissioner)
    _request(client, "compact-consultation", consultation.pk, django_capture_on_commit_callbacks)
    _, text = _pdf_text(Report.objects.get())
    assert "shorter than the Compact's 12 weeks" in text
    assert "The lease decision is due before the summer." in text
    assert "Not published yet" in text and "Falls short" in text
    assert "no response has been published yet" in text


@pytest.mark.django_db
def test_decommissioning_assessment_checks_notice_and_the_compacts_commitment(
    demo, client_for, django_capture_on_commit_callbacks
):
    assessment = _assessment(demo)
    # The affected provider reads the assessment's page, so may have its report.
    provider = _users(demo)["bidder_2"]
    client = client_for(provider)
    _request(client, "compact-decommissioning", assessment.pk, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.status == ReportStatus.READY, report.error
    reader, text = _pdf_text(report)
    _assert_tagged(reader, report.title)
    assert "Contents" in text and "Checked against the Compact" in text
    # The demo gives 60 days' notice: under three months, with a reason recorded.
    earliest = checks.add_months(assessment.notice_given_on, 3)
    assert "60 days' notice: under 3 months, with the reason recorded." in text
    assert f"{assessment.notice_given_on:%-d %B %Y}" in text
    assert f"{assessment.ends_on:%-d %B %Y}" in text
    assert (
        f"Earliest end with 3 months' notice (the Compact's minimum) {earliest:%-d %B %Y}" in text
    )
    assert "The building's lease ends early" in text
    # The organisations affected, the impact and the group's comment.
    assert "Riverside" in text and "Northfield Compact" in text
    assert "About 40 young people lose a weekly evening session." in text
    assert "keep the transport for two years" in text
    # The commitment's wording is not confirmed: flagged as on the page.
    assert "Wording not confirmed" in text
    download = client.get(reverse("report-download", args=[report.pk]))
    assert "no-store" in download["Cache-Control"]


@pytest.mark.django_db
def test_compact_reports_are_refused_before_anything_is_queued(
    demo, client, client_for, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    future = compact_services.consultation_create(
        actor=demo.commissioner,
        authority=demo.council,
        title="Not yet public",
        subject="policy",
        description="Draft.",
        audience="Everyone.",
        starts_on=today + timedelta(days=7),
        ends_on=today + timedelta(days=100),
    )
    audit_before = AuditEntry.objects.count()
    outsider = _users(demo)["bidder_3"]  # an SME: not the provider, not in the Compact group
    signed_in = client_for(outsider)
    for kind, subject in (
        ("compact-decommissioning", _assessment(demo).pk),
        ("compact-consultation", future.pk),
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            response = signed_in.post(reverse("report-request", args=[kind, subject]))
        assert response.status_code == 404, kind
        assert callbacks == []
    signed_in.logout()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("report-request", args=["compact-consultation", future.pk]))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert callbacks == []
    assert not Report.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_render_report_command_for_the_compacts_kinds(demo, tmp_path):
    out = tmp_path / "assessment.pdf"
    call_command(
        "render_report",
        "compact-decommissioning",
        str(_assessment(demo).pk),
        "--as",
        demo.commissioner.email,
        "--out",
        str(out),
    )
    text = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(out).pages).split())
    assert DECOMMISSIONING_SERVICE in text
    assert not Report.objects.exists()
    with pytest.raises(CommandError, match="may not have this report"):
        call_command(
            "render_report",
            "compact-decommissioning",
            str(_assessment(demo).pk),
            "--as",
            _users(demo)["bidder_3"].email,
            "--out",
            str(tmp_path / "no.pdf"),
        )
    assert not (tmp_path / "no.pdf").exists()
    out = tmp_path / "consultation.pdf"
    call_command(
        "render_report",
        "compact-consultation",
        str(_closed(demo).pk),
        "--as",
        demo.bidder.email,
        "--out",
        str(out),
    )
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "Fourteen organisations responded" in " ".join(text.split())


@pytest.mark.django_db
def test_a_change_to_the_data_makes_a_new_version_of_each_compact_report(
    demo, client_for, django_capture_on_commit_callbacks
):
    client = client_for(demo.commissioner)
    assessment, consultation = _assessment(demo), _closed(demo)
    for kind, subject in (
        ("compact-decommissioning", assessment.pk),
        ("compact-consultation", consultation.pk),
    ):
        _request(client, kind, subject, django_capture_on_commit_callbacks)
        _request(client, kind, subject, django_capture_on_commit_callbacks)
        assert Report.objects.filter(kind=kind).count() == 1
    # A comment from the group, and a changed published summary: new versions, old ones kept.
    compact_services.decommissioning_comment(
        actor=demo.commissioner, assessment=assessment, body="Transport kept for two years."
    )
    compact_services.consultation_publish_response(
        actor=demo.commissioner,
        consultation=consultation,
        summary="Fifteen organisations responded, one late.",
        you_said_we_did="As before.",
    )
    for kind, subject, words in (
        ("compact-decommissioning", assessment.pk, "Transport kept for two years."),
        ("compact-consultation", consultation.pk, "Fifteen organisations responded"),
    ):
        _request(client, kind, subject, django_capture_on_commit_callbacks)
        first, second = Report.objects.filter(kind=kind).order_by("version")
        assert (first.version, second.version) == (1, 2)
        assert second.status == ReportStatus.READY
        assert words in _pdf_text(second)[1]
        assert words not in _pdf_text(first)[1]
