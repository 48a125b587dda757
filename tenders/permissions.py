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
from socialvalue.models import Organisation, Role
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


_AUTHORITY_ROLES_ATTR = "_tenders_authority_roles"


def authority_roles(user) -> dict[int, frozenset[str]]:
    """{authority id: roles} for the user: their roles at contracting authorities only (an
    organisation admin of a bidder is not an authority's admin). One query, kept on the user."""
    held = roles_by_organisation(user)
    if not held:
        return {}
    cached = getattr(user, _AUTHORITY_ROLES_ATTR, None)
    if cached is None or set(cached) - set(held):
        authorities = set(
            Organisation.objects.filter(pk__in=held, kind="authority").values_list("pk", flat=True)
        )
        cached = {pk: roles for pk, roles in held.items() if pk in authorities}
        setattr(user, _AUTHORITY_ROLES_ATTR, cached)
    return cached


def authorities_with_role(user, *roles: str) -> set[int]:
    """Ids of the contracting authorities where the user holds any of these roles."""
    wanted = set(roles)
    return {pk for pk, held in authority_roles(user).items() if held & wanted}


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
    # Everyone, signed in or not, sees a tender once published: it is a public opportunity (as
    # on Contracts Finder and Find a Tender). Its bids stay behind the sealed rule.
    return tender.status != TenderStatus.DRAFT


@rules.predicate
def works_at_an_authority(user) -> bool:
    return bool(authorities_with_role(user, *AUTHORITY_VIEW_ROLES))


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
def owns_saved_search(user, search) -> bool:
    return search is not None and search.user_id == getattr(user, "pk", None)


@rules.predicate
def bid_readable(user, bid) -> bool:
    return bid is not None and can_read_bid(user, bid)


is_builder_here = holds_role_in_organisation(*BUILDER_ROLES)
is_officer_here = holds_role_in_organisation(Role.PROCUREMENT_OFFICER)
is_bidder_here = holds_role_in_organisation(Role.BIDDER)
is_policy_holder_here = holds_role_in_organisation(*POLICY_ROLES)

# An authority's roles only: a bidder's organisation admin has no authority's tender list.
rules.add_perm("tenders.list_tenders", works_at_an_authority)
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
rules.add_perm("tenders.express_interest", holds_role(Role.BIDDER) & tender_is_open_for_bids)
rules.add_perm("tenders.save_searches", holds_role(Role.BIDDER))
rules.add_perm("tenders.change_saved_search", owns_saved_search)
# Who is interested is the authority's to know (bidders do not learn of one another).
rules.add_perm("tenders.see_interest", holds_role_in_organisation(*AUTHORITY_VIEW_ROLES))
# Copying a tender (whatever its status) makes a new draft of the same authority.
rules.add_perm("tenders.copy_tender", is_builder_here)
rules.add_perm("tenders.bid_on_tender", holds_role(Role.BIDDER) & tender_is_open_for_bids)
rules.add_perm("tenders.view_bid", bid_readable)
rules.add_perm("tenders.change_bid", is_bidder_here)
rules.add_perm("tenders.set_local_minimum", is_policy_holder_here)
register_view_rule("tenders.Tender", "tenders.view_tender")
register_view_rule("tenders.Bid", "tenders.view_bid")
rules.add_perm("tenders.view_local_minimum", holds_role_in_organisation(*AUTHORITY_VIEW_ROLES))
