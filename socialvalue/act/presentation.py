"""An Act check's answer and inputs in words, shared by the result and record pages and the
consideration record report."""

from __future__ import annotations

from datetime import date

from socialvalue.act.engine import CHOICE_LABELS
from socialvalue.act.forms import ROUTES, route_of
from socialvalue.kernel import numbers
from socialvalue.kernel.dates import long_date
from socialvalue.kernel.money import format_gbp

MISSING_LABELS = {
    "devolved_functions": "Whether the body's functions are wholly or mainly Welsh devolved "
    "functions",
    "central_government_authority": "Whether the body is a central government authority",
}


def present_answer(result: dict) -> dict:
    """An engine answer (Assessment.to_dict(), live or frozen) in words and pounds for a page."""
    applies = result["applies"]
    headline, tag, colour = {
        True: ("The Social Value Act applies", "Applies", "govuk-tag--green"),
        False: ("The Social Value Act does not apply", "Does not apply", "govuk-tag--grey"),
        None: ("It depends: the answer needs more facts", "Depends", "govuk-tag--yellow"),
    }[applies]
    basis = result.get("threshold_includes_vat")
    basis_text = "" if basis is None else (" including VAT" if basis else " net of VAT")
    return {
        "applies": applies,
        "headline": headline,
        "tag": tag,
        "tag_class": colour,
        "reasons": result["reasons"],
        "encouraged": result["encouraged"],
        "regime": (result.get("regime") or {}).get("name"),
        "threshold": format_gbp(result["threshold"]) + basis_text
        if result.get("threshold")
        else None,
        "value_compared": format_gbp(result["value_compared"]) + basis_text
        if result.get("value_compared")
        else None,
        "source": result.get("source"),
        "schedule_id": result.get("schedule_id"),
        "missing": [MISSING_LABELS.get(name, name) for name in result.get("missing", [])],
        "rule_sources": result.get("rule_sources", []),
    }


def _flag(value) -> str:
    return {True: "Yes", False: "No", None: "Not known"}[value]


def present_inputs(inputs: dict) -> list[tuple[str, str]]:
    """What was answered, as (question, answer) rows, from stored engine inputs."""
    rows = [
        ("Type of body", CHOICE_LABELS["authority_type"][inputs["authority_type"]]),
        ("Nation", CHOICE_LABELS["nation"][inputs["nation"]]),
    ]
    if inputs["nation"] == "wales":
        rows.append(
            ("Wholly or mainly Welsh devolved functions", _flag(inputs["devolved_functions"]))
        )
    if inputs.get("central_government_authority") is not None:
        rows.append(("Central government authority", _flag(inputs["central_government_authority"])))
    rows.append(("What is being bought", CHOICE_LABELS["contract_type"][inputs["contract_type"]]))
    if inputs["contract_type"] in ("services", "mixed"):
        rows.append(
            ("Kind of services", CHOICE_LABELS["service_category"][inputs["service_category"]])
        )
        rows.append(("How it will be bought", dict(ROUTES)[route_of(inputs)]))
        if inputs.get("psr"):
            rows.append(("Under the NHS Provider Selection Regime", "Yes"))
    if inputs["contract_type"] == "mixed" and inputs.get("mixed_with") == "works":
        rows.append(("Services mixed with", "Works"))
        purpose = CHOICE_LABELS["main_purpose"][inputs["main_purpose"]]
        rows.append(("Main purpose", purpose))
    if inputs.get("contract_kind", "public") != "public":
        rows.append(("Kind of contract", CHOICE_LABELS["contract_kind"][inputs["contract_kind"]]))
    vat = "including VAT" if inputs["vat_basis"] == "inclusive" else "net of VAT"
    rows.append(("Estimated total value", f"{format_gbp(inputs['value'])} {vat}"))
    if inputs.get("services_value") is not None:
        rows.append(("Of which services", f"{format_gbp(inputs['services_value'])} {vat}"))
    if inputs.get("vat_rate") is not None:
        rows.append(("VAT rate", f"{numbers.plain(inputs['vat_rate'])}%"))
    rows.append(("Procurement starts", _long_date(inputs["start_date"])))
    rows.append(("Urgent case (section 1(8))", _flag(inputs["urgent"])))
    return rows


def _long_date(iso: str) -> str:
    return long_date(date.fromisoformat(iso))
