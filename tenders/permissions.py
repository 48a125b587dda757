"""Who may see or do what with tenders and bids, including the sealed-bid rule.

The sealed rule, in one place: a bid's contents (price, answers, commitments, attachments) are
readable by people holding the bidder role in the bidding organisation, and by nobody else until
the tender's submission deadline has passed *and* a procurement officer has opened the bids.
After that, the authority's procurement officers may read submitted bids, and a person appointed
to a lot's evaluation panel may read that lot's submitted bids once they have declared, for every
bidder, whether they have a conflict of interest; nobody reads a bid whose bidder they declared a
conflict with. What of a readable bid a panel member sees (the price, which answers) is
`bid_scope`: only their own criteria. Service staff and superusers get nothing extra: the admin
site shows that a bid exists, never what it says. `readable_bids_q` (for querysets) and
`can_read_bid` (for one bid) express the same rule.

Every decision goes through `socialvalue.core.permissions.can`, where rules alone decide: being a
superuser gives no way round the seal, nor a way to act for an authority.
"""

from dataclasses import dataclass
from datetime import datetime

import rules
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from socialvalue.core.permissions import (
    holds_role,
    holds_role_in_organisation,
    organisations_with_role,
    register_view_rule,
    roles_by_organisation,
)
from socialvalue.models import Organisation, Role
from tenders.models import (
    Bid,
    BidStatus,
    ConflictDeclaration,
    CriterionKind,
    Evaluator,
    TenderStatus,
)

# Roles at the authority that build tenders, and those that run the procurement.
BUILDER_ROLES = (Role.PROCUREMENT_OFFICER, Role.COMMISSIONER)
AUTHORITY_VIEW_ROLES = (
    Role.PROCUREMENT_OFFICER,
    Role.COMMISSIONER,
    Role.EVALUATOR,
    Role.ORG_ADMIN,
)
# People at the authority who may sit on an evaluation panel.
PANEL_ROLES = (Role.EVALUATOR, Role.PROCUREMENT_OFFICER, Role.COMMISSIONER)
POLICY_ROLES = (Role.COMMISSIONER, Role.PROCUREMENT_OFFICER, Role.ORG_ADMIN)
# Where a panel may be appointed, declare, mark and moderate.
EVALUATION_STATUSES = (TenderStatus.PUBLISHED, TenderStatus.CLOSED, TenderStatus.UNDER_EVALUATION)


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


def is_officer_of(user, tender) -> bool:
    """The user is a procurement officer of the tender's authority."""
    held = roles_by_organisation(user).get(tender.authority_id, frozenset())
    return Role.PROCUREMENT_OFFICER in held


def _conflicted_q(user) -> Q:
    """Bids whose bidder this user declared a conflict of interest with, on the bid's lot."""
    return Q(
        Exists(
            ConflictDeclaration.objects.filter(
                evaluator__user_id=user.pk,
                evaluator__lot_id=OuterRef("lot_id"),
                bidder_id=OuterRef("bidder_id"),
                has_conflict=True,
            )
        )
    )


def readable_bids_q(user, tender, now: datetime | None = None) -> Q:
    """A filter on Bid for the bids of `tender` whose contents this user may read."""
    own = Q(bidder_id__in=bidder_organisations(user))
    if not bids_are_open(tender, now) or not works_at_authority(user, tender):
        return own
    if is_officer_of(user, tender):
        opened = Q(status=BidStatus.SUBMITTED)
    else:
        # A panel member reads their lots' bids, and only once they have declared.
        declared_lots = Evaluator.objects.filter(
            user_id=user.pk, lot__tender_id=tender.pk, declared_at__isnull=False
        ).values("lot_id")
        opened = Q(status=BidStatus.SUBMITTED, lot_id__in=declared_lots)
    return own | (opened & ~_conflicted_q(user))


def can_read_bid(user, bid, now: datetime | None = None) -> bool:
    """Whether this user may read this bid's contents now."""
    if bid.bidder_id in bidder_organisations(user):
        return True
    if bid.status != BidStatus.SUBMITTED or not works_at_authority(user, bid.tender):
        return False
    return Bid.objects.readable_by(user=user, tender=bid.tender, now=now).filter(pk=bid.pk).exists()


@dataclass(frozen=True)
class BidScope:
    """What of a readable bid this person sees: all of it (its bidder, the authority's procurement
    officers), or a panel member's share: the price only with the price criterion, and the
    answers, commitments and files of their own criteria."""

    whole: bool
    price: bool = False
    criteria: frozenset[int] = frozenset()
    social_value_criteria: frozenset[int] = frozenset()

    def shows(self, criterion_id: int | None, *, social_value: bool = False) -> bool:
        """Whether a part tied to this criterion is shown. A commitment tied to no question
        (`social_value`) belongs to the bid's social value offer, shown to the social value
        evaluators; any other part tied to none (a file about the whole bid) to the panel."""
        if self.whole:
            return True
        if criterion_id is None:
            return bool(self.social_value_criteria) if social_value else True
        return criterion_id in self.criteria


def scopes_by_lot(user, tender) -> dict[int, BidScope]:
    """What of the readable bids on each lot of `tender` the user sees, by lot id (one query
    for a panel member, none for an officer). A bidder's own bids are always seen whole: ask
    `bid_scope` for one bid."""
    if is_officer_of(user, tender):
        return {lot_id: BidScope(whole=True) for lot_id in tender.lots.values_list("pk", flat=True)}
    rows = list(
        Evaluator.criteria.through.objects.filter(
            evaluator__user_id=user.pk, evaluator__lot__tender_id=tender.pk
        ).values_list("evaluator__lot_id", "criterion_id", "criterion__kind")
    )
    found: dict[int, BidScope] = {}
    for lot_id in {row[0] for row in rows}:
        here = [(pk, kind) for lot, pk, kind in rows if lot == lot_id]
        found[lot_id] = BidScope(
            whole=False,
            price=any(kind == CriterionKind.PRICE for _pk, kind in here),
            criteria=frozenset(pk for pk, _kind in here),
            social_value_criteria=frozenset(
                pk for pk, kind in here if kind == CriterionKind.SOCIAL_VALUE
            ),
        )
    return found


def bid_scope(user, bid) -> BidScope:
    """What of this (readable) bid the user sees; see BidScope."""
    if bid.bidder_id in bidder_organisations(user) or is_officer_of(user, bid.tender):
        return BidScope(whole=True)
    return scopes_by_lot(user, bid.tender).get(bid.lot_id, BidScope(whole=False))


def _tender_of(obj):
    """The tender of a tender, lot, evaluator, bid or declaration (None for anything else)."""
    for path in ("evaluator.lot.tender", "lot.tender", "tender"):
        found = obj
        for part in path.split("."):
            found = getattr(found, part, None)
            if found is None:
                break
        if found is not None:
            return found
    return obj if obj is not None and obj._meta.label == "tenders.Tender" else None


def sits_on_panel(user, tender) -> bool:
    """The user is appointed to a panel of one of this tender's lots."""
    return bool(
        getattr(user, "is_authenticated", False)
        and Evaluator.objects.filter(user_id=user.pk, lot__tender_id=tender.pk).exists()
    )


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


@rules.predicate
def officer_of_its_tender(user, obj) -> bool:
    tender = _tender_of(obj) if obj is not None else None
    return tender is not None and is_officer_of(user, tender)


@rules.predicate
def on_its_panel(user, obj) -> bool:
    tender = _tender_of(obj) if obj is not None else None
    return tender is not None and works_at_authority(user, tender) and sits_on_panel(user, tender)


@rules.predicate
def evaluation_running(user, obj) -> bool:
    tender = _tender_of(obj) if obj is not None else None
    return tender is not None and tender.status_on() in EVALUATION_STATUSES


@rules.predicate
def under_evaluation(user, obj) -> bool:
    tender = _tender_of(obj) if obj is not None else None
    return tender is not None and tender.status == TenderStatus.UNDER_EVALUATION


@rules.predicate
def own_appointment(user, evaluator) -> bool:
    return (
        evaluator is not None
        and getattr(user, "is_authenticated", False)
        and evaluator.user_id == user.pk
        and works_at_authority(user, evaluator.lot.tender)
    )


@rules.predicate
def its_bids_open(user, obj) -> bool:
    tender = _tender_of(obj) if obj is not None else None
    return tender is not None and bids_are_open(tender)


@rules.predicate
def has_declared(user, evaluator) -> bool:
    return evaluator is not None and evaluator.declared_at is not None


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
# Through the API with a token: the bids of the token's organisation (scoped by the token).
rules.add_perm("tenders.read_own_bids", holds_role(Role.BIDDER))
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
# Evaluation: the officer runs the panel and moderates; a panel member declares, then marks.
rules.add_perm("tenders.view_evaluation", officer_of_its_tender | on_its_panel)
rules.add_perm("tenders.manage_panel", officer_of_its_tender & evaluation_running)
rules.add_perm("tenders.view_appointment", officer_of_its_tender | own_appointment)
rules.add_perm("tenders.declare_interests", own_appointment & evaluation_running & its_bids_open)
rules.add_perm("tenders.mark_bids", own_appointment & has_declared & under_evaluation)
rules.add_perm("tenders.moderate_marks", officer_of_its_tender & under_evaluation)
register_view_rule("tenders.Evaluator", "tenders.view_appointment")
register_view_rule("tenders.ConflictDeclaration", "tenders.view_evaluation")
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


@rules.predicate
def letter_of_readable_bid(user, letter) -> bool:
    return letter is not None and can_read_bid(user, letter.bid)


# An award letter (and its PDF) goes with its bid: the bidder's own, every one for the officer.
rules.add_perm("tenders.view_award_letter", letter_of_readable_bid)
rules.add_perm(
    "tenders.view_contract",
    holds_role_in_organisation(*AUTHORITY_VIEW_ROLES) | supplier_of_contract,
)
register_view_rule("tenders.Contract", "tenders.view_contract")
# An issued award is published (the winner, the awarded value, the standstill): anyone may read
# it in the API, signed in or not. Never another bidder's price or scores.
rules.add_perm("tenders.list_published_awards", rules.always_allow)
