"""State changes for the Social Value Act check: planned contracts and recorded checks.

The engine (socialvalue.act.engine) decides; these functions check who may act, freeze what was asked
and answered, and write the audit trail. The dated rules are read from the data file once per
process (``act_rules``) rather than on every request.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from socialvalue.act.engine import (
    DEFAULT_RULES_PATH,
    ActInputs,
    ActRules,
    Assessment,
    assess,
)
from socialvalue.act.engine import load_schedules as _load_schedules
from socialvalue.act.interface import inputs_as_data
from socialvalue.act.models import ActAssessment, PlannedContract
from socialvalue.core import audit
from socialvalue.core.models import Organisation, OrganisationKind, User
from socialvalue.core.permissions import can
from socialvalue.definitions.selectors import adopted_priorities_for


@functools.cache
def act_rules() -> ActRules:
    """The shipped threshold schedules and Act rules, read once per process."""
    return _load_schedules()


@functools.cache
def act_rules_digest() -> str:
    """SHA-256 of the shipped rules file, kept in the audit trail beside each recorded check."""
    return hashlib.sha256(DEFAULT_RULES_PATH.read_bytes()).hexdigest()


def run_check(inputs: ActInputs, *, rules: ActRules | None = None) -> Assessment:
    """The engine's answer for these inputs under the shipped rules (or the rules given)."""
    return assess(inputs, rules or act_rules())


@transaction.atomic
def planned_contract_create(
    *, actor: User, authority: Organisation, title: str, description: str = ""
) -> PlannedContract:
    """A commissioner or procurement officer adds a contract their authority plans to procure."""
    if authority.kind != OrganisationKind.AUTHORITY:
        raise ValidationError({"authority": "Only a contracting authority plans contracts."})
    if not can(actor, "socialvalue.add_planned_contract", authority):
        raise PermissionDenied("Only a commissioner or procurement officer of this authority.")
    contract = PlannedContract(
        authority=authority,
        title=title.strip(),
        description=description.strip(),
        created_by=actor,
    )
    contract.full_clean()
    contract.save()
    audit.record(
        actor=actor,
        action="planned_contract.created",
        obj=contract,
        organisation=authority,
        data={"title": contract.title},
    )
    return contract


def consideration_requirements(
    assessment: Assessment | dict, inputs: ActInputs | dict
) -> dict[str, bool]:
    """Which parts of the consideration must be answered, given the engine's answer.

    When the Act applies, section 1(3) and 1(7) require the well-being consideration and the
    decision on consulting, unless the case is urgent (section 1(8)), when the reason for
    disregarding the duty is required instead. Otherwise everything is optional (guidance
    encourages it).
    """
    applies = assessment["applies"] if isinstance(assessment, dict) else assessment.applies
    urgent = inputs["urgent"] if isinstance(inputs, dict) else inputs.urgent
    duty = applies is True and not urgent
    return {
        "wellbeing_improvement": duty,
        "procurement_approach": duty,
        "will_consult": duty,
        "urgency_reason": bool(urgent) and applies is not False,
    }


def available_priorities(*, authority: Organisation) -> list:
    """The priorities of the authority's currently adopted local definition (empty when none)."""
    return adopted_priorities_for(authority=authority)


@transaction.atomic
def act_assessment_record(
    *,
    actor: User,
    planned_contract: PlannedContract,
    inputs: ActInputs,
    wellbeing_improvement: str = "",
    procurement_approach: str = "",
    priority_ids: Sequence[int] = (),
    will_consult: bool | None = None,
    consultation_reason: str = "",
    urgency_reason: str = "",
    rules: ActRules | None = None,
) -> ActAssessment:
    """Run the check and record it with the consideration, frozen as answered today.

    The inputs, the engine's answer (with the threshold schedule's id and source) and the chosen
    local priorities ({id, title}) are copied onto the record, so a later change to the
    thresholds or to the local definition never rewrites it.
    """
    if not can(actor, "socialvalue.record_act_assessment", planned_contract):
        raise PermissionDenied("Only a commissioner or procurement officer of this authority.")
    answer = run_check(inputs, rules=rules)
    texts = {
        "wellbeing_improvement": wellbeing_improvement.strip(),
        "procurement_approach": procurement_approach.strip(),
        "consultation_reason": consultation_reason.strip(),
        "urgency_reason": urgency_reason.strip(),
    }
    errors: dict[str, str] = {}
    required = consideration_requirements(answer, inputs)
    if required["wellbeing_improvement"] and not texts["wellbeing_improvement"]:
        errors["wellbeing_improvement"] = (
            "Say how what you are buying might improve the economic, social and environmental "
            "well-being of the area: the Act requires you to consider it."
        )
    if required["procurement_approach"] and not texts["procurement_approach"]:
        errors["procurement_approach"] = (
            "Say how you will conduct the procurement to secure that improvement."
        )
    if required["will_consult"] and will_consult is None:
        errors["will_consult"] = "Say whether you will consult on these matters."
    if will_consult is not None and not texts["consultation_reason"]:
        errors["consultation_reason"] = (
            "Say whom you will consult and how."
            if will_consult
            else "Say why you will not consult."
        )
    if required["urgency_reason"] and not texts["urgency_reason"]:
        errors["urgency_reason"] = (
            "Say why the case is so urgent that considering social value would be impractical."
        )
    chosen = _frozen_priorities(planned_contract.authority, priority_ids, errors)
    if errors:
        raise ValidationError(errors)

    record = ActAssessment(
        planned_contract=planned_contract,
        inputs=inputs_as_data(inputs),
        result=answer.to_dict(),
        applies=answer.applies,
        schedule_id=answer.schedule_id or "",
        relevant_priorities=chosen,
        will_consult=will_consult,
        recorded_by=actor,
        **texts,
    )
    # will_consult may be left unanswered where the Act does not apply (the field is null=True
    # without blank=True, so full_clean would otherwise refuse None).
    record.full_clean(exclude=["will_consult"] if will_consult is None else None)
    record.save()
    audit.record(
        actor=actor,
        action="act_assessment.recorded",
        obj=record,
        organisation=planned_contract.authority,
        data={
            "planned_contract": planned_contract.pk,
            "applies": answer.applies,
            "schedule_id": answer.schedule_id,
            "rules_sha256": act_rules_digest() if rules is None else "",
            "priorities": [p["id"] for p in chosen],
        },
    )
    return record


def _frozen_priorities(
    authority: Organisation, priority_ids: Sequence[int], errors: dict[str, str]
) -> list[dict]:
    if not priority_ids:
        return []
    by_id = {priority.pk: priority for priority in available_priorities(authority=authority)}
    wanted = [int(pk) for pk in priority_ids]
    if any(pk not in by_id for pk in wanted):
        errors["relevant_priorities"] = (
            "Choose priorities from your authority's adopted local definition."
        )
        return []
    return [{"id": pk, "title": str(by_id[pk])} for pk in dict.fromkeys(wanted)]
