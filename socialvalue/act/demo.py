"""Demo data for the Social Value Act check: two planned contracts of the demo council, each with
a recorded check - one inside the Act, one below the threshold. Safe to run twice."""

from socialvalue.act.engine import inputs_from_dict
from socialvalue.act.models import PlannedContract
from socialvalue.act.services import (
    act_assessment_record,
    available_priorities,
    planned_contract_create,
)

DEMO_CONTRACTS = [
    {
        "title": "Home care and reablement support",
        "description": "Care at home and short-term reablement for adults leaving hospital, "
        "for three years with an option to extend by one.",
        "inputs": {
            "authority_type": "local_authority",
            "nation": "england",
            "contract_type": "services",
            "service_category": "light_touch",
            "value": "300000",
            "vat_basis": "exclusive",
            # Home care from a registered agency is VAT-exempt (VAT Act 1994 Sch. 9 Group 7 item 9).
            "vat_rate": "0",
            "start_date": "2026-09-01",
        },
        "consideration": {
            "wellbeing_improvement": "Local recruitment and fair pay for care workers; fewer "
            "emergency readmissions; travel planned to cut mileage between visits.",
            "procurement_approach": "Social value weighted at 15% of the score with specific, "
            "measurable commitments; two geographic lots so local voluntary and small providers "
            "can bid; market engagement event before the notice.",
            "will_consult": True,
            "consultation_reason": "People who use the service and their carers, through the "
            "Compact group, for 12 weeks before the specification is final.",
        },
        "priorities": 2,
    },
    {
        "title": "Community centre grounds maintenance",
        "description": "Grass cutting, planting and litter picking at four community centres "
        "for two years.",
        "inputs": {
            "authority_type": "local_authority",
            "nation": "england",
            "contract_type": "services",
            "service_category": "standard",
            "value": "150000",
            "vat_basis": "inclusive",
            "start_date": "2026-10-01",
        },
        "consideration": {
            "wellbeing_improvement": "Below the threshold, but a chance for volunteering days "
            "and wildlife-friendly planting.",
            "will_consult": False,
            "consultation_reason": "Small, routine contract: the centres' user groups will be "
            "told of the plan instead.",
        },
        "priorities": 0,
    },
]


def seed_act_checks(cast) -> list[str]:
    """Add the demo planned contracts and their recorded checks (skips those already there)."""
    council, commissioner = cast.organisations["council"], cast.users["commissioner"]
    lines = []
    for spec in DEMO_CONTRACTS:
        contract = PlannedContract.objects.filter(authority=council, title=spec["title"]).first()
        if contract is None:
            contract = planned_contract_create(
                actor=commissioner,
                authority=council,
                title=spec["title"],
                description=spec["description"],
            )
        if contract.assessments.exists():
            continue
        priorities = available_priorities(authority=council)[: spec["priorities"]]
        record = act_assessment_record(
            actor=commissioner,
            planned_contract=contract,
            inputs=inputs_from_dict(spec["inputs"]),
            priority_ids=[p.pk for p in priorities],
            **spec["consideration"],
        )
        answer = {True: "applies", False: "does not apply", None: "depends"}[record.applies]
        lines.append(f"Social Value Act check: {contract.title} - the Act {answer}.")
    return lines
