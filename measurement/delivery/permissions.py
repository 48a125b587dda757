"""Who may see and do what with a contract's delivery: the authority's people see and verify;
the supplier's bidders see their own contracts and report; nobody else sees anything."""

import rules

from socialvalue.core.permissions import (
    organisations_with_role,
    register_view_rule,
    roles_by_organisation,
)
from socialvalue.models import OrganisationKind, Role
from tenders.permissions import AUTHORITY_VIEW_ROLES

# At the authority: who agrees the schedule and verifies returns.
VERIFIER_ROLES = (Role.PROCUREMENT_OFFICER, Role.COMMISSIONER)
# At the supplier: who reports.
SUPPLIER_ROLES = (Role.BIDDER, Role.ORG_ADMIN)


def _contract_of(obj):
    """The contract behind a contract, schedule, period, return or line."""
    while obj is not None and not hasattr(obj, "tender"):
        step = next(
            (p for p in ("contract", "period", "delivery_return", "line") if hasattr(obj, p)), None
        )
        if step is None:
            return None
        obj = getattr(obj, step)
    return obj


def _roles_at(user, organisation_id) -> frozenset:
    return roles_by_organisation(user).get(organisation_id, frozenset())


@rules.predicate
def works_at_contract_authority(user, obj) -> bool:
    contract = _contract_of(obj) if obj is not None else None
    return contract is not None and bool(
        _roles_at(user, contract.tender.authority_id) & set(AUTHORITY_VIEW_ROLES)
    )


@rules.predicate
def verifies_for_contract(user, obj) -> bool:
    contract = _contract_of(obj) if obj is not None else None
    return contract is not None and bool(
        _roles_at(user, contract.tender.authority_id) & set(VERIFIER_ROLES)
    )


@rules.predicate
def reports_for_contract(user, obj) -> bool:
    contract = _contract_of(obj) if obj is not None else None
    return contract is not None and bool(
        _roles_at(user, contract.supplier_id) & set(SUPPLIER_ROLES)
    )


@rules.predicate
def keeps_evidence_of(user, organisation) -> bool:
    return organisation is not None and bool(_roles_at(user, organisation.pk) & set(SUPPLIER_ROLES))


rules.add_perm("delivery.view_delivery", works_at_contract_authority | reports_for_contract)
rules.add_perm("delivery.manage_delivery", verifies_for_contract)
rules.add_perm("delivery.verify_delivery", verifies_for_contract)
rules.add_perm("delivery.report_delivery", reports_for_contract)
rules.add_perm("delivery.keep_evidence", keeps_evidence_of)
for model in ("DeliveryReturn", "ReturnLine", "ReportingPeriod", "LineQuery"):
    register_view_rule(f"delivery.{model}", "delivery.view_delivery")
register_view_rule("delivery.EvidenceItem", "delivery.keep_evidence_item")


@rules.predicate
def keeps_evidence_item(user, item) -> bool:
    return item is not None and bool(_roles_at(user, item.supplier_id) & set(SUPPLIER_ROLES))


rules.add_perm("delivery.keep_evidence_item", keeps_evidence_item)


@rules.predicate
def follows_contracts(user) -> bool:
    """Works at an authority, or reports for a supplier: the contracts list is theirs."""
    return bool(organisations_with_role(user, *AUTHORITY_VIEW_ROLES, *SUPPLIER_ROLES))


rules.add_perm("delivery.follow_contracts", follows_contracts)


# Open data: a contract's value, dates, parties, social value commitments and verified delivery
# totals are published; anyone may read them in the API, signed in or not.
rules.add_perm("delivery.list_public_contracts", rules.always_allow)
# Returns through the API with a token: the supplier's own, and the authority's contracts'
# (the token scopes the roles to its organisation; the selector carries the filter).
rules.add_perm("delivery.read_returns", follows_contracts)

# Remedies and performance failures: the authority's verifiers record them; the authority's
# people and the supplier read them on the contract's page.
rules.add_perm("delivery.record_remedy", verifies_for_contract)
rules.add_perm("delivery.record_performance_failure", verifies_for_contract)
rules.add_perm("delivery.accept_unsampled_lines", verifies_for_contract)
for model in ("Remedy", "PerformanceFailure"):
    register_view_rule(f"delivery.{model}", "delivery.view_delivery")


@rules.predicate
def works_at_authority(user, organisation) -> bool:
    """Works at this authority in a role that sees its contracts."""
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.AUTHORITY
        and bool(_roles_at(user, organisation.pk) & set(AUTHORITY_VIEW_ROLES))
    )


@rules.predicate
def verifies_for_authority(user, organisation) -> bool:
    """An officer of this authority: who verifies its returns may publish what was verified."""
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.AUTHORITY
        and bool(_roles_at(user, organisation.pk) & set(VERIFIER_ROLES))
    )


# The authority's totals across its contracts, and its choice to publish the delivered part.
rules.add_perm("delivery.view_authority_totals", works_at_authority)
rules.add_perm("delivery.publish_delivery", verifies_for_authority)
