"""The schedule, returns and verification through the services: state rules, bad input
refused next to the field, every decision audited, only accepted quantities counted."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from measurement.delivery import selectors, services
from measurement.delivery.models import LineStatus, ReportingPeriod, ReturnStatus
from measurement.delivery.services import LineInput
from socialvalue.core.models import AuditEntry
from socialvalue.models import Role
from tests.delivery.factories import contract_world
from tests.factories import BidderOrganisationFactory, person_with_role

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(procurement_officer, authority):
    world = contract_world(procurement_officer, authority)
    services.schedule_create(actor=procurement_officer, contract=world.contract)
    return world


def _lines(world, **quantities):
    commitments = list(world.contract.commitments.order_by("pk"))
    return {
        c.pk: LineInput(quantity=q, variance_note="")
        for c, q in zip(commitments, quantities.get("values", ("100", "1")), strict=False)
    }


def test_the_schedule_follows_the_proportionality_band(world):
    schedule = world.contract.delivery_schedule
    # £150,000 is in the £100,000 to £1 million band: six-monthly, at most 4 measures.
    assert (schedule.band_key, schedule.reporting, schedule.max_measures) == (
        "medium",
        "six-monthly",
        4,
    )
    periods = list(world.contract.reporting_periods.all())
    assert len(periods) == 4
    eco05 = world.contract.commitments.get(measure__code="ECO-05")
    assert [t.quantity for t in eco05.period_targets.order_by("period__number")] == [D("100")] * 4
    assert AuditEntry.objects.filter(action="delivery.schedule_created").count() == 1
    with pytest.raises(ValidationError):
        services.schedule_create(actor=world.officer, contract=world.contract)


def test_a_target_changes_only_with_a_reason_and_is_audited(world):
    target = world.contract.commitments.get(measure__code="ECO-05").period_targets.first()
    with pytest.raises(ValidationError) as refused:
        services.target_change(actor=world.officer, target=target, quantity=D("80"), reason=" ")
    assert "reason" in refused.value.message_dict
    change = services.target_change(
        actor=world.officer, target=target, quantity=D("80"), reason="Site closed for a month."
    )
    target.refresh_from_db()
    assert (change.previous_quantity, target.quantity) == (D("100"), D("80"))
    assert AuditEntry.objects.filter(action="delivery.target_changed").exists()


def test_only_the_suppliers_bidders_report_and_only_the_authority_verifies(world):
    period = world.contract.reporting_periods.get(number=1)
    stranger = person_with_role(Role.BIDDER, BidderOrganisationFactory(name="Other Ltd"))
    with pytest.raises(PermissionDenied):
        services.return_save(actor=stranger, period=period, lines=_lines(world), submit=True)
    with pytest.raises(PermissionDenied):
        services.return_save(actor=world.officer, period=period, lines=_lines(world), submit=True)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "negative"),
        ("lots", "number"),
        ("1.234", "2 decimal"),
        ("NaN", "number"),
        ("", "Enter"),
    ],
)
def test_bad_quantities_are_refused_next_to_the_field(world, typed, message):
    period = world.contract.reporting_periods.get(number=1)
    lines = _lines(world, values=(typed, "1"))
    with pytest.raises(ValidationError) as refused:
        services.return_save(actor=world.reporter, period=period, lines=lines, submit=True)
    first = world.contract.commitments.order_by("pk").first()
    assert message in refused.value.message_dict[f"quantity_{first.pk}"][0]


def test_a_period_not_yet_begun_is_refused(world):
    later = world.contract.reporting_periods.get(number=4)
    assert later.starts_on > timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.return_save(actor=world.reporter, period=later, lines=_lines(world), submit=True)
    assert "period" in refused.value.message_dict


def test_evidence_of_a_forbidden_type_is_refused_and_only_own_evidence_is_used(world):
    bad = SimpleUploadedFile("payroll.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(
            actor=world.reporter, supplier=world.supplier, upload=bad, description="Payroll"
        )
    assert "file" in refused.value.message_dict
    good = SimpleUploadedFile("payroll.pdf", b"%PDF-1.4 payroll", content_type="application/pdf")
    item = services.evidence_add(
        actor=world.reporter, supplier=world.supplier, upload=good, description="Payroll extract"
    )
    other = BidderOrganisationFactory(name="Other Ltd")
    other_person = person_with_role(Role.BIDDER, other)
    theirs = services.evidence_add(
        actor=other_person,
        supplier=other,
        upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        description="Theirs",
    )
    period = world.contract.reporting_periods.get(number=1)
    lines = _lines(world)
    first = next(iter(lines))
    lines[first].evidence_ids = [theirs.pk]
    with pytest.raises(ValidationError) as refused:
        services.return_save(actor=world.reporter, period=period, lines=lines, submit=True)
    assert f"evidence_{first}" in refused.value.message_dict
    lines[first].evidence_ids = [item.pk]
    sent = services.return_save(actor=world.reporter, period=period, lines=lines, submit=True)
    assert list(sent.lines.get(commitment_id=first).evidence.all()) == [item]


def test_verification_accept_query_answer_reject_and_only_accepted_counts(world):
    period = world.contract.reporting_periods.get(number=1)
    sent = services.return_save(
        actor=world.reporter, period=period, lines=_lines(world), submit=True
    )
    assert sent.status == ReturnStatus.SUBMITTED
    with pytest.raises(ValidationError):  # a sent return is not edited
        services.return_save(actor=world.reporter, period=period, lines=_lines(world), submit=True)
    eco05, eco07 = (sent.lines.get(commitment__measure__code=c) for c in ("ECO-05", "ECO-07"))
    services.line_decide(actor=world.officer, line=eco05, decision="accept")
    with pytest.raises(ValidationError) as refused:
        services.line_decide(actor=world.officer, line=eco07, decision="query", reason="")
    assert "reason" in refused.value.message_dict
    services.line_decide(
        actor=world.officer, line=eco07, decision="query", reason="Whose payroll is this?"
    )
    with pytest.raises(PermissionDenied):
        services.query_answer(actor=world.officer, line=eco07, answer="x")
    services.query_answer(actor=world.reporter, line=eco07, answer="Our cleaning staff's.")
    eco07.refresh_from_db()
    assert eco07.status == LineStatus.ANSWERED
    services.line_decide(
        actor=world.officer, line=eco07, decision="query", reason="And agency staff?"
    )
    services.query_answer(actor=world.reporter, line=eco07, answer="None on this contract.")
    services.line_decide(actor=world.officer, line=eco07, decision="reject", reason="Not shown.")

    figures = selectors.contract_figures(world.contract)
    by_code = {row.commitment.measure.code: row for row in figures.commitments}
    assert by_code["ECO-05"].delivered == D("100")  # accepted
    assert by_code["ECO-07"].delivered == D("0")  # rejected: never counted
    assert by_code["ECO-07"].queried_twice  # at risk: evidence queried twice
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "delivery.line_accepted",
        "delivery.line_queried",
        "delivery.query_answered",
        "delivery.line_rejected",
    } <= actions


def test_gross_and_net_side_by_side_with_transfers_apart(world):
    services.assumptions_set(
        actor=world.officer,
        contract=world.contract,
        deadweight=D("20"),
        attribution=D("0"),
        displacement=D("0"),
        drop_off=D("0"),
        duration_years=1,
        include_unconfirmed=False,
    )
    period = world.contract.reporting_periods.get(number=1)
    sent = services.return_save(
        actor=world.reporter, period=period, lines=_lines(world), submit=True
    )
    for line in sent.lines.all():
        services.line_decide(actor=world.officer, line=line, decision="accept")
    figures = selectors.contract_figures(world.contract)
    eco05 = next(r for r in figures.commitments if r.commitment.measure.code == "ECO-05")
    # 100 apprentice-hours at the proxy the bid was valued with; net is 80% of gross.
    assert eco05.delivered_net == eco05.delivered_gross * D("0.8")
    assert eco05.kind == "transfer"
    # Both lines are wage measures: transfers, so the headline welfare figure adds nothing.
    assert figures.totals.headline_net == 0
    assert figures.totals.transfer_net + figures.totals.unconfirmed_net > 0


def test_overdue_returns_are_flagged_and_reminded_once(world, django_capture_on_commit_callbacks):
    from measurement.delivery import reminders
    from socialvalue.core import jobs

    first = world.contract.reporting_periods.get(number=1)
    ReportingPeriod.objects.filter(pk=first.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    figures = selectors.contract_figures(world.contract)
    assert figures.periods[0].overdue and figures.at_risk
    assert first in selectors.returns_due(world.reporter)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue(kind=reminders.KIND)
    job.refresh_from_db()
    assert first.pk in job.result["periods"]
    assert not selectors.periods_to_remind(today=timezone.localdate()).filter(pk=first.pk).exists()


def test_a_supplier_sees_only_its_own_contracts(world):
    other = person_with_role(Role.BIDDER, BidderOrganisationFactory(name="Other Ltd"))
    assert list(selectors.contracts_for(world.reporter)) == [world.contract]
    assert list(selectors.contracts_for(other)) == []
    assert list(selectors.contracts_for(world.officer)) == [world.contract]
