"""Who may see or do what with tenders and bids, including the sealed-bid rule.

The sealed rule, in one place: a bid's contents (price, answers, commitments, attachments) are
readable by people holding the bidder role in the bidding organisation, and by nobody else until
the tender's submission deadline has passed *and* a procurement officer has opened the bids.
After that, the authority's procurement officers and evaluators may read submitted bids. Service
staff and superusers get nothing extra: the admin site shows that a bid exists, never what it says.
`readable_bids_q` (for querysets) and `can_read_bid` (for one bid) express the same rule.

Every decision goes through `socialvalue.core.permissions.can`, where rules alone decide: being a
superuser gives no way round the seal, nor a way to act for an authority.
"""

from datetime import datetime

import rules
from django.db.models import Q
from django.utils import timezone

from socialvalue.core.permissions import (
    holds_role,
    holds_role_in_organisation,
    organisations_with_role,
    register_view_rule,
    roles_by_organisation,
)
from socialvalue.models import Role
from tenders.models import BidStatus, TenderStatus

# Roles at the authority that build tenders, and those that run the procurement.
BUILDER_ROLES = (Role.PROCUREMENT_OFFICER, Role.COMMISSIONER)
AUTHORITY_VIEW_ROLES = (
    Role.PROCUREMENT_OFFICER,
    Role.COMMISSIONER,
    Role.EVALUATOR,
    Role.ORG_ADMIN,
)
# Roles at the authority that may read bid contents once the bids are opened.
BID_READER_ROLES = (Role.PROCUREMENT_OFFICER, Role.EVALUATOR)
POLICY_ROLES = (Role.COMMISSIONER, Role.PROCUREMENT_OFFICER, Role.ORG_ADMIN)


def bidder_organisations(user) -> set[int]:
    """Organisations in which the user may prepare and read bids."""
    return organisations_with_role(user, Role.BIDDER)


def bids_are_open(tender, now: datetime | None = None) -> bool:
    """The seal is broken: the deadline has passed and an officer has opened the bids."""
    return tender.bids_opened_at is not None and tender.deadline_passed(now)


def works_at_authority(user, tender) -> bool:
    """The user holds a role at the tender's authority (sees its drafts, bid count, Act check)."""
    held = roles_by_organisation(user).get(tender.authority_id, frozenset())
    return bool(held & set(AUTHORITY_VIEW_ROLES))


def may_read_opened_bids(user, tender, now: datetime | None = None) -> bool:
    """This user is at the tender's authority in a reading role and the bids are open."""
    held = roles_by_organisation(user).get(tender.authority_id, frozenset())
    return bool(held & set(BID_READER_ROLES)) and bids_are_open(tender, now)


def readable_bids_q(user, tender, now: datetime | None = None) -> Q:
    """A filter on Bid for the bids of `tender` whose contents this user may read."""
    own = Q(bidder_id__in=bidder_organisations(user))
    if may_read_opened_bids(user, tender, now):
        return own | Q(status=BidStatus.SUBMITTED)
    return own


def can_read_bid(user, bid, now: datetime | None = None) -> bool:
    """Whether this user may read this bid's contents now."""
    if bid.bidder_id in bidder_organisations(user):
        return True
    return bid.status == BidStatus.SUBMITTED and may_read_opened_bids(user, bid.tender, now)


@rules.predicate
def can_see_tender(user, tender) -> bool:
    if tender is None:
        return False
    if works_at_authority(user, tender):
        return True
    # Everyone signed in sees a tender once published: it is a public opportunity.
    return tender.status != TenderStatus.DRAFT and getattr(user, "is_authenticated", False)


@rules.predicate
def tender_is_published(user, tender) -> bool:
    return tender is not None and tender.status != TenderStatus.DRAFT


@rules.predicate
def tender_is_draft(user, tender) -> bool:
    return tender is not None and tender.status == TenderStatus.DRAFT


@rules.predicate
def tender_is_open_for_bids(user, tender) -> bool:
    return tender is not None and tender.is_open_for_bids(timezone.now())


@rules.predicate
def bid_readable(user, bid) -> bool:
    return bid is not None and can_read_bid(user, bid)


is_builder_here = holds_role_in_organisation(*BUILDER_ROLES)
is_officer_here = holds_role_in_organisation(Role.PROCUREMENT_OFFICER)
is_bidder_here = holds_role_in_organisation(Role.BIDDER)
is_policy_holder_here = holds_role_in_organisation(*POLICY_ROLES)

rules.add_perm("tenders.list_tenders", holds_role(*AUTHORITY_VIEW_ROLES))
rules.add_perm("tenders.add_tender", holds_role(*BUILDER_ROLES))
rules.add_perm("tenders.view_opportunities", holds_role(Role.BIDDER))
rules.add_perm("tenders.view_tender", can_see_tender)
# What a tender publishes is public: anyone, signed in or not, may list and read it in the API.
rules.add_perm("tenders.list_published_tenders", rules.always_allow)
rules.add_perm("tenders.read_published_tender", tender_is_published)
rules.add_perm("tenders.change_tender", is_builder_here & tender_is_draft)
# Publish, move through the lifecycle, answer questions, open bids: the procurement officer.
rules.add_perm("tenders.manage_tender", is_officer_here)
rules.add_perm("tenders.ask_question", holds_role(Role.BIDDER) & can_see_tender)
rules.add_perm("tenders.bid_on_tender", holds_role(Role.BIDDER) & tender_is_open_for_bids)
rules.add_perm("tenders.view_bid", bid_readable)
rules.add_perm("tenders.change_bid", is_bidder_here)
rules.add_perm("tenders.set_local_minimum", is_policy_holder_here)
register_view_rule("tenders.Tender", "tenders.view_tender")
register_view_rule("tenders.Bid", "tenders.view_bid")
rules.add_perm("tenders.view_local_minimum", holds_role_in_organisation(*AUTHORITY_VIEW_ROLES))


# --------------------------------------------------------------------------- the award


@rules.predicate
def tender_bids_open(user, tender) -> bool:
    return tender is not None and bids_are_open(tender)


@rules.predicate
def supplier_of_contract(user, contract) -> bool:
    return contract is not None and contract.supplier_id in bidder_organisations(user)


# The ranking shows every bid's price and scores: the procurement officer's, once bids are open.
rules.add_perm("tenders.rank_bids", is_officer_here & tender_bids_open)
# A bidder reads its own outcome, letter and abnormally low price query (objects owned by the
# bid's organisation), and answers the query.
rules.add_perm("tenders.read_own_outcome", is_bidder_here)
rules.add_perm(
    "tenders.view_contract",
    holds_role_in_organisation(*AUTHORITY_VIEW_ROLES) | supplier_of_contract,
)
register_view_rule("tenders.Contract", "tenders.view_contract")
