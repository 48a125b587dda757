"""The Act check's reports: the consideration record of a planned contract, and the annual
report's section on the checks an authority made in a year."""

from __future__ import annotations

import hashlib
from collections import Counter

from socialvalue.act import selectors
from socialvalue.act.models import ActAssessment, PlannedContract
from socialvalue.act.presentation import present_answer, present_inputs
from socialvalue.core import charts
from socialvalue.core.models import Organisation


def _digest(*parts) -> str:
    return hashlib.sha256("\n".join(str(p) for p in parts).encode()).hexdigest()


def consideration_context(contract: PlannedContract, options: dict) -> dict:
    """The latest recorded check in full, with the earlier ones listed (frozen records)."""
    assessments = list(selectors.assessments_for(planned_contract=contract))
    latest = assessments[0] if assessments else None
    return {
        "contract": contract,
        "record": latest,
        "answer": present_answer(latest.result) if latest else None,
        "inputs": present_inputs(latest.inputs) if latest else [],
        "earlier": [(record, present_answer(record.result)) for record in assessments[1:]],
    }


def consideration_version(contract: PlannedContract, options: dict) -> str:
    # Recorded checks are frozen: their ids say everything; the contract's own words may change.
    ids = list(
        ActAssessment.objects.filter(planned_contract=contract)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return _digest(contract.title, contract.description, contract.authority.name, ids)


ANSWER_WORDS = {True: "Applies", False: "Does not apply", None: "Depends on more facts"}


def _checks_in(organisation: Organisation, period):
    return (
        ActAssessment.objects.filter(
            planned_contract__authority=organisation,
            recorded_at__date__gte=period.start,
            recorded_at__date__lte=period.end,
        )
        .select_related("planned_contract", "recorded_by")
        .order_by("recorded_at", "pk")
    )


def annual_section(organisation: Organisation, period) -> dict:
    """Checks recorded in the year, how they came out, and whether consultation was planned."""
    checks = list(_checks_in(organisation, period))
    counts = Counter(check.applies for check in checks)
    order = [True, False, None]
    chart = charts.bar_chart(
        title=f"Social Value Act checks recorded, {period.short}, by answer",
        alt=(
            f"{len(checks)} checks recorded: "
            + "; ".join(f"{ANSWER_WORDS[a].lower()}: {counts.get(a, 0)}" for a in order)
            + "."
        ),
        categories=[ANSWER_WORDS[a] for a in order],
        series=[
            charts.Series(
                "Checks",
                tuple(counts.get(a, 0) for a in order),
                tuple(str(counts.get(a, 0)) for a in order),
            )
        ],
    )
    return {
        "checks": [(check, ANSWER_WORDS[check.applies]) for check in checks],
        "total": len(checks),
        "counts": [(ANSWER_WORDS[a], counts.get(a, 0)) for a in order],
        "consulting": sum(1 for check in checks if check.will_consult),
        "chart": chart if checks else None,
    }


def annual_section_version(organisation: Organisation, period) -> str:
    rows = list(_checks_in(organisation, period).values_list("pk", "planned_contract__title"))
    return _digest(rows)
