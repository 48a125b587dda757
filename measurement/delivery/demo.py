"""Demo data for delivery: the awarded demo contract's schedule, net assumptions, an evidence
file, and two periods of returns: the first verified (one line accepted, one queried and
answered, then accepted), the second sent and awaiting checks."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from measurement.delivery import services
from measurement.delivery.models import DeliverySchedule
from socialvalue.core.demo import Cast
from tenders.demo import AWARDED_TITLE
from tenders.models import Contract

EVIDENCE = b"%PDF-1.4\n% Demo evidence: volunteer hours log and payroll summary for the period.\n"


def seed_delivery(cast: Cast) -> list[str]:
    council = cast.organisations["council"]
    officer = cast.users["procurement"]
    reporter = cast.users["bidder_1"]
    contract = (
        Contract.objects.filter(tender__authority=council, tender__title=AWARDED_TITLE)
        .select_related("supplier", "tender")
        .first()
    )
    if contract is None:
        return ["Delivery: no awarded demo contract to monitor."]
    if DeliverySchedule.objects.filter(contract=contract).exists():
        return ["Delivery: the demo contract's schedule already exists."]
    services.schedule_create(actor=officer, contract=contract)
    services.assumptions_set(
        actor=officer,
        contract=contract,
        deadweight=Decimal("20"),
        attribution=Decimal("10"),
        displacement=Decimal("5"),
        drop_off=Decimal("0"),
        duration_years=1,
        include_unconfirmed=False,
    )
    evidence = services.evidence_add(
        actor=reporter,
        supplier=contract.supplier,
        upload=SimpleUploadedFile("period-log.pdf", EVIDENCE, content_type="application/pdf"),
        description="Volunteer hours log and payroll summary",
    )
    today = timezone.localdate()
    periods = [p for p in contract.reporting_periods.order_by("number") if p.ends_on < today][:2]
    commitments = list(contract.commitments.select_related("measure").order_by("pk"))
    lines_made = 0
    for number, period in enumerate(periods, start=1):
        targets = {t.commitment_id: t.quantity for t in period.targets.all()}
        lines = {}
        for index, commitment in enumerate(commitments):
            target = targets.get(commitment.pk, Decimal(0))
            # The first commitment falls short in the second period, with a note saying why.
            short = number == 2 and index == 0
            delivered = (target * Decimal("0.6")).quantize(Decimal("0.01")) if short else target
            lines[commitment.pk] = services.LineInput(
                quantity=str(delivered),
                variance_note="Two sites closed for a month after flooding." if short else "",
                evidence_ids=[evidence.pk],
            )
        sent = services.return_save(
            actor=reporter, period=period, lines=lines, submit=True, today=today
        )
        lines_made += len(lines)
        if number == 1:
            for index, line in enumerate(sent.lines.order_by("commitment_id")):
                if index == 1:
                    services.line_decide(
                        actor=officer,
                        line=line,
                        decision="query",
                        reason="Which sites do these hours come from?",
                    )
                    services.query_answer(
                        actor=reporter, line=line, answer="Ward 2 and ward 4 growing spaces."
                    )
                services.line_decide(actor=officer, line=line, decision="accept")
    # The council publishes its verified delivery: /delivery/public/<slug>/, linked from its
    # market statement.
    services.publication_set(actor=officer, authority=council, published=True)
    return [
        f"Delivery: schedule for '{contract.tender.title}' with {len(periods)} periods of "
        f"returns ({lines_made} lines), the first verified; the council's delivered social "
        "value published."
    ]
