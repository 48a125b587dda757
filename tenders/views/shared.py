"""Pages both sides open: a tender's page, its documents, its questions and answers, and a
bid with its attachments (each behind its own rule: the sealed rule for bids)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from socialvalue.core.permissions import can
from socialvalue.core.web import apply_errors, require_perm
from socialvalue.definitions.selectors import has_adopted_definition
from socialvalue.models import Organisation
from tenders import criteria as criteria_layout
from tenders import forms, lifecycle, scoring, selectors, services, valuation
from tenders.models import Tender, TenderDocument, TenderStatus
from tenders.permissions import (
    bid_scope,
    bidder_organisations,
    bids_are_open,
    works_at_authority,
)
from tenders.views.common import _file_response, _readable_bid_or_404, _tender_or_404


def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A tender's page: a published one is public (signed in or not); a draft is its
    authority's. Bids show only as the sealed rule allows (a visitor has none)."""
    tender = selectors.tender_for_page(user=request.user, pk=pk)
    if tender is None:
        raise Http404
    require_perm(request, "tenders.view_tender", tender)
    user = request.user
    now = timezone.now()
    is_authority = works_at_authority(user, tender)
    lots = []
    for lot in tender.lots.all():
        rows = list(lot.criteria.all())
        lots.append({"lot": lot, "report": criteria_layout.report(rows)})
    context = {
        "tender": tender,
        "status": tender.status_on(now),
        "status_label": TenderStatus(tender.status_on(now)).label,
        "lots": lots,
        "price_method": scoring.PRICE_METHODS.get(tender.price_method),
        "is_authority": is_authority,
        "can_edit": can(user, "tenders.change_tender", tender),
        "can_manage": can(user, "tenders.manage_tender", tender),
        "can_amend": can(user, "tenders.manage_tender", tender) and tender.is_open_for_bids(now),
        "can_bid": can(user, "tenders.bid_on_tender", tender),
        "own_bids": selectors.own_bids_on(user=user, tender=tender),
        "bid_count": selectors.submitted_bid_count(tender=tender) if is_authority else None,
        "bids_open": bids_are_open(tender, now),
        "deadline_passed": tender.deadline_passed(now),
        "act_assessment": selectors.latest_act_assessment(tender) if is_authority else None,
        "next_action": _next_action(tender, now),
        "open_for_questions": tender.is_open_for_questions(now),
        "market_statement": _market_statement_url(tender),
        "back": _tender_back_link(user, is_authority),
        "can_copy": can(user, "tenders.copy_tender", tender),
        "questions_waiting": selectors.questions_waiting(tender=tender) if is_authority else 0,
        "interest_count": tender.interests.count() if is_authority else None,
        "can_express_interest": can(user, "tenders.express_interest", tender),
        "own_interests": selectors.own_interests(user=user, tender=tender),
        "signed_in": user.is_authenticated,
    }
    return render(request, "tenders/tender_detail.html", context)


def _tender_back_link(user, is_authority: bool) -> tuple[str, str] | None:
    """(url, words) of the list this person reached the tender from: the authority's tenders or
    the opportunities."""
    if is_authority and can(user, "tenders.list_tenders"):
        return reverse("tender-list"), "Back to tenders"
    if can(user, "tenders.view_opportunities") or not user.is_authenticated:
        return reverse("tender-opportunities"), "Back to opportunities"
    return None


def _market_statement_url(tender: Tender) -> str:
    """The tender's own link, else the authority's published market statement page."""
    if tender.market_statement_url:
        return tender.market_statement_url
    if not has_adopted_definition(authority=tender.authority_id):
        return ""
    return reverse("definition-market-statement", args=[tender.authority.slug])


def _next_action(tender: Tender, now) -> dict | None:
    action = lifecycle.next_transition(tender, now)
    return {"action": action, "label": _TRANSITION_LABELS[action]} if action else None


_TRANSITION_LABELS = {
    "start_delivery": "Record that delivery has started",
    "end": "Record that the contract has ended",
}


def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A tender's document: public once the tender is published, as its page is."""
    document = get_object_or_404(TenderDocument.objects.select_related("tender"), pk=pk)
    if not can(request.user, "tenders.view_tender", document.tender):
        raise Http404
    return _file_response(
        document.file, name=document.original_name, content_type=document.content_type
    )


@login_required
def clarifications(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.view_tender", tender)
    bidders = Organisation.objects.filter(pk__in=bidder_organisations(request.user))
    can_ask = (
        can(request.user, "tenders.ask_question", tender)
        and tender.is_open_for_questions()
        and bidders.exists()
    )
    form = forms.QuestionForm(request.POST or None, bidders=bidders) if can_ask else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.clarification_ask(
                actor=request.user,
                tender=tender,
                bidder=form.cleaned_data["bidder"],
                question=form.cleaned_data["question"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, "Your question was sent. You will get an email when it is answered."
            )
            return redirect("tender-clarifications", pk=tender.pk)
    return render(
        request,
        "tenders/clarifications.html",
        {
            "tender": tender,
            "why_no_form": _why_no_question_form(request.user, tender, can_ask, bidders),
            "waiting": selectors.questions_waiting(tender=tender),
            "items": selectors.clarifications_visible_to(user=request.user, tender=tender),
            "form": form,
            "can_answer": can(request.user, "tenders.manage_tender", tender),
            "own_organisations": set(bidders.values_list("pk", flat=True)),
        },
    )


def _why_no_question_form(user, tender: Tender, can_ask: bool, bidders) -> str:
    """Why a bidder sees no question form, in words (empty when they see one or are not a
    bidder)."""
    if can_ask or not bidders.exists() or works_at_authority(user, tender):
        return ""
    now = timezone.now()
    if tender.deadline_passed(now):
        return (
            "The deadline for bids passed on "
            f"{services.moment_text(tender.submission_deadline)}, so no more questions can be "
            "asked. The published answers stay here."
        )
    if tender.clarification_deadline is not None and now >= tender.clarification_deadline:
        return (
            "The deadline for questions passed on "
            f"{services.moment_text(tender.clarification_deadline)}, so no more questions can "
            "be asked. You can still bid until "
            f"{services.moment_text(tender.submission_deadline)}."
        )
    return "This tender is not taking questions."


@login_required
def bid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bid = selectors.bid_with_contents(user=request.user, bid=_readable_bid_or_404(request, pk))
    require_perm(request, "tenders.view_bid", bid)
    now = timezone.now()
    own = can(request.user, "tenders.change_bid", bid)
    # A panel member reads only their own criteria (the price only with the price criterion).
    scope = bid_scope(request.user, bid)
    answers = {a.criterion_id: a for a in bid.answers.all()}
    commitments = [
        c for c in bid.commitments.all() if scope.shows(c.criterion_id, social_value=True)
    ]
    return render(
        request,
        "tenders/bid_detail.html",
        {
            "bid": bid,
            "tender": bid.tender,
            "scope": scope,
            "questions": [
                (row, answers.get(row.pk))
                for row in selectors.lot_questions(bid.lot)
                if scope.shows(row.pk)
            ],
            "attachments": [a for a in bid.attachments.all() if scope.shows(a.criterion_id)],
            "commitments": commitments,
            # The whole bid's total only for those reading the whole bid (a panel member's part
            # has no meaningful total).
            "totals": valuation.commitment_totals(commitments) if scope.whole else None,
            "unconfirmed": {c.pk for c in commitments if valuation.is_unconfirmed(c)},
            # Only for readers who see the price: a share of it would reveal it.
            "plausibility": valuation.bid_plausibility(
                price=bid.price,
                commitments=commitments,
                on_date=timezone.localdate(bid.submitted_at)
                if bid.submitted_at
                else timezone.localdate(now),
                whole=scope.whole,
            )
            if scope.whole or scope.price
            else None,
            "own": own,
            "open_for_bids": bid.tender.is_open_for_bids(now),
            "latest_receipt": next(
                (r for r in sorted(bid.receipts.all(), key=lambda r: (r.at, r.pk), reverse=True)),
                None,
            ),
        },
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    # The sealed rule decides, as for the bid page; a refusal does not confirm the file exists.
    attachment = selectors.readable_attachment(user=request.user, pk=pk)
    if attachment is None or not bid_scope(request.user, attachment.bid).shows(
        attachment.criterion_id
    ):
        raise Http404
    return _file_response(
        attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )
