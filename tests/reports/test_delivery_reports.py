"""The delivery report kind (a contract's committed against delivered, gross and net, over time,
with a chart), asked exactly like the contract's delivery page, and the annual report's section
on value delivered in the year, from the demo's contract with two periods of returns."""

import pytest
from django.urls import reverse

from socialvalue.core.models import AuditEntry
from socialvalue.kernel.money import format_gbp
from socialvalue.models import Role
from socialvalue.reports import services
from socialvalue.reports.models import Report, ReportStatus
from tests.factories import AuthorityFactory, BidderOrganisationFactory, person_with_role
from tests.reports.test_reports import _assert_tagged, _figure_alts, _pdf_text, _request


def _contract(demo):
    from tenders.demo import AWARDED_TITLE
    from tenders.models import Contract

    return Contract.objects.select_related("tender", "supplier").get(
        tender__authority=demo.council, tender__title=AWARDED_TITLE
    )


@pytest.mark.django_db
def test_delivery_report_has_committed_against_delivered_gross_and_net_over_time(
    demo, client_for, django_capture_on_commit_callbacks
):
    from measurement.delivery import selectors

    contract = _contract(demo)
    figures = selectors.contract_figures(contract)
    client = client_for(demo.procurement)
    page = client.get(reverse("delivery-contract", args=[contract.pk])).content.decode()
    assert reverse("report-request", args=["delivery-contract", contract.pk]) in page
    assert "Get the PDF" in page
    _request(client, "delivery-contract", contract.pk, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.status == ReportStatus.READY, report.error
    reader, text = _pdf_text(report)
    _assert_tagged(reader, report.title)
    assert f"Social value delivery report: {contract.tender.title}" in text
    # The contract page's figures: gross and net side by side, and the assumptions.
    assert format_gbp(figures.totals.welfare_gross) in text
    assert format_gbp(figures.totals.welfare_net) in text
    assert "Deadweight" in text and "Attribution" in text
    for row in figures.commitments:
        assert row.commitment.measure.code in text
        if row.committed_gross is not None:
            assert format_gbp(row.committed_gross) in text
    # Over time: every period, and the chart as a tagged figure with its words.
    for period in figures.periods:
        assert f"Period {period.period.number}:" in text
    alts = _figure_alts(reader)
    assert len(alts) == 1
    assert alts[0].startswith("Period 1: target £")
    # The supplier may have it too, as it may read the page: the same report, not a new one.
    supplier_client = client_for(demo.bidder)
    with django_capture_on_commit_callbacks(execute=True):
        supplier_client.post(reverse("report-request", args=["delivery-contract", contract.pk]))
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_delivery_report_is_refused_before_queueing_to_whoever_may_not_see_the_contract(
    demo, client_for, django_capture_on_commit_callbacks
):
    contract = _contract(demo)
    audit_before = AuditEntry.objects.count()
    for person in (
        person_with_role(Role.PROCUREMENT_OFFICER, AuthorityFactory()),
        person_with_role(Role.BIDDER, BidderOrganisationFactory()),
    ):
        client = client_for(person)
        assert client.get(reverse("delivery-contract", args=[contract.pk])).status_code == 404
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(
                reverse("report-request", args=["delivery-contract", contract.pk])
            )
        assert response.status_code == 404
        assert callbacks == []
        with pytest.raises(services.ReportRefused):
            services.report_request(
                kind_key="delivery-contract", subject_id=contract.pk, user=person
            )
    assert not Report.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_the_annual_report_has_the_value_delivered_in_the_year(
    demo, client_for, django_capture_on_commit_callbacks
):
    from measurement.delivery import totals
    from socialvalue.reports.annual import Period

    # The year in which the demo's first (verified) reporting period ended.
    first = _contract(demo).reporting_periods.get(number=1)
    period = Period(first.ends_on.year if first.ends_on.month >= 4 else first.ends_on.year - 1)
    overall, by_theme, _, _ = totals.year_delivery(demo.council, start=period.start, end=period.end)
    rows = totals.year_contract_rows(demo.council, start=period.start, end=period.end)
    assert [row.contract for row in rows] == [_contract(demo)]
    assert overall.delivered.welfare_gross > 0
    client = client_for(demo.commissioner)
    _request(
        client,
        "annual",
        demo.council.pk,
        django_capture_on_commit_callbacks,
        year=str(period.year),
    )
    report = Report.objects.get()
    assert report.status == ReportStatus.READY, report.error
    _, text = _pdf_text(report)
    assert "Social value delivered under contracts" in text
    assert "not part of this report yet" not in text
    assert _contract(demo).tender.title in text
    assert format_gbp(overall.delivered.welfare_gross) in text
    assert format_gbp(overall.delivered.welfare_net) in text
    assert format_gbp(overall.committed.welfare_gross) in text
    # Nothing awaiting checks counts: the second return's lines are not accepted.
    assert overall.delivered.welfare_gross < overall.committed.welfare_gross or any(
        b.delivered.welfare_gross for b in by_theme
    )
