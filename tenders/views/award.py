"""The award's pages: a lot's ranking (with its chart, sensitivity and ties), abnormally low
price queries (the officer asks and decides, the bidder explains), the award decision per lot
and its replacement, issuing the award, the standstill and challenges, the contract, and each
bidder's own outcome. Every irreversible step has a confirmation page."""

from __future__ import annotations

from datetime import datetime, time

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from socialvalue.core import charts
from socialvalue.core.permissions import can
from socialvalue.core.web import apply_errors, require_perm
from tenders import award_reports, forms, ranking, scoring, selectors, services
from tenders.models import AwardOutcome, Challenge, Lot, TenderStatus
from tenders.views.common import _file_response, _lot_or_404, _readable_bid_or_404, _tender_or_404

RANKING_PAGE_SIZE = 50


def _ranking_or_403(request: HttpRequest, pk: int) -> tuple[Lot, ranking.LotRanking]:
    lot = _lot_or_404(request, pk)
    require_perm(request, "tenders.rank_bids", lot.tender)
    return lot, ranking.rank_lot(lot=lot)


def _page_of_rows(request: HttpRequest, lot_ranking: ranking.LotRanking):
    return Paginator(list(lot_ranking.rows), RANKING_PAGE_SIZE).get_page(request.GET.get("page"))


def _tie_break_words(tender) -> str:
    return tender.get_tie_break_display()


@login_required
def lot_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """The lot's ranking for the procurement officer: each bid's total and breakdown, pass-mark
    exclusions, abnormally low flags, ties, the chart and what would change the winner."""
    lot, lot_ranking = _ranking_or_403(request, pk)
    page = _page_of_rows(request, lot_ranking)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "tenders/award/ranking.html",
        {
            "tender": lot.tender,
            "lot": lot,
            "ranking": lot_ranking,
            "page": page,
            "kinds": [(kind, ranking.KIND_LABELS[kind]) for kind in ranking.KINDS],
            "kind_labels": ranking.KIND_LABELS,
            "patterns": [
                (ranking.KIND_LABELS[kind], charts.pattern_name(i))
                for i, kind in enumerate(ranking.KINDS)
            ],
            "tie_break": _tie_break_words(lot.tender),
            "refusals": lot_ranking.award_refusals(),
            "price_method": scoring.PRICE_METHODS.get(lot.tender.price_method),
            "query": params.urlencode(),
            "report_detail_choices": award_reports.DETAIL_CHOICES,
        },
    )


@login_required
@csp_update({"style-src": [UNSAFE_INLINE]})
def lot_ranking_chart(request: HttpRequest, pk: int) -> HttpResponse:
    """The chart of the ranking page's bids (the same page of them), as an SVG image. Its style
    sheet is inside the SVG, so this response alone allows inline styles; as an image it can run
    nothing."""
    lot, lot_ranking = _ranking_or_403(request, pk)
    rows = [row for row in _page_of_rows(request, lot_ranking).object_list if row.result.total]
    svg = charts.stacked_bars(
        title=f"How each total is made up: {lot}",
        categories=[f"{row.result.rank}. {row.bid.bidder.name}" for row in rows],
        series=[
            charts.Series(ranking.KIND_LABELS[kind], [row.kind_scores.get(kind) for row in rows])
            for kind in ranking.KINDS
        ],
        maximum=scoring.HUNDRED,
        unit="Points out of 100",
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def tie_resolve(request: HttpRequest, pk: int, rank: int) -> HttpResponse:
    lot, lot_ranking = _ranking_or_403(request, pk)
    require_perm(request, "tenders.manage_tender", lot.tender)
    tie = lot_ranking.tie_at(rank)
    if tie is None:
        messages.error(request, "No bids are level at that rank.")
        return redirect("award-ranking", pk=lot.pk)
    form = forms.TieForm(request.POST or None, bids=tie.bids)
    if request.method == "POST" and form.is_valid():
        chosen = next(bid for bid in tie.bids if bid.pk == form.cleaned_data["chosen_bid"])
        try:
            services.tie_resolve(
                actor=request.user,
                lot=lot,
                rank=rank,
                chosen_bid=chosen,
                explanation=form.cleaned_data["explanation"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "How the tie was resolved was recorded.")
            return redirect("award-ranking", pk=lot.pk)
    rows = [row for row in lot_ranking.rows if row.bid in tie.bids]
    return render(
        request,
        "tenders/award/tie.html",
        {
            "tender": lot.tender,
            "lot": lot,
            "tie": tie,
            "rows": rows,
            "form": form,
            "tie_break": _tie_break_words(lot.tender),
        },
    )


@login_required
def abnormally_low_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the bidder of a flagged price to explain it (the officer)."""
    bid = _readable_bid_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", bid.tender)
    form = forms.AbnormallyLowRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            query = services.abnormally_low_request(
                actor=request.user, bid=bid, request=form.cleaned_data["request"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{bid.bidder.name} was asked to explain its price.")
            return redirect("award-query", pk=query.pk)
    row = next(
        (r for r in ranking.rank_lot(lot=bid.lot).rows if r.bid.pk == bid.pk),
        None,
    )
    return render(
        request,
        "tenders/award/query_request.html",
        {"tender": bid.tender, "bid": bid, "row": row, "form": form},
    )


@login_required
def abnormally_low_query(request: HttpRequest, pk: int) -> HttpResponse:
    """A query: the bidder explains (with files); the officer accepts or rejects with a reason."""
    query = selectors.readable_abnormally_low_query(user=request.user, pk=pk)
    if query is None:
        raise Http404
    bid = query.bid
    is_bidder = can(request.user, "tenders.change_bid", bid)
    is_officer = can(request.user, "tenders.manage_tender", bid.tender)
    if not (is_bidder or is_officer):
        raise Http404
    answer_form = decision_form = None
    if query.is_undecided and is_bidder:
        answer_form = forms.ExplanationForm(
            request.POST or None if request.POST.get("form") == "answer" else None,
            request.FILES or None,
            initial={"response": query.response},
        )
    if query.is_undecided and is_officer:
        decision_form = forms.QueryDecisionForm(
            request.POST or None if request.POST.get("form") == "decision" else None
        )
    if request.method == "POST":
        if answer_form is not None and answer_form.is_bound and answer_form.is_valid():
            upload = answer_form.cleaned_data.get("file")
            try:
                services.abnormally_low_respond(
                    actor=request.user,
                    query=query,
                    response=answer_form.cleaned_data["response"],
                    files=[upload] if upload else [],
                )
            except ValidationError as error:
                apply_errors(answer_form, error)
            else:
                messages.success(request, "Your explanation was sent to the authority.")
                return redirect("award-query", pk=query.pk)
        elif decision_form is not None and decision_form.is_bound and decision_form.is_valid():
            try:
                services.abnormally_low_decide(
                    actor=request.user,
                    query=query,
                    accept=decision_form.cleaned_data["decision"] == "accept",
                    reason=decision_form.cleaned_data["reason"],
                    breaches_law=decision_form.cleaned_data["breaches_law"],
                )
            except ValidationError as error:
                apply_errors(decision_form, error)
            else:
                messages.success(request, "The decision was recorded.")
                return redirect("award-ranking", pk=bid.lot_id)
        elif answer_form is None and decision_form is None:
            messages.error(request, "This query has been decided.")
            return redirect("award-query", pk=query.pk)
    policy = scoring.load_abnormally_low_policy()
    return render(
        request,
        "tenders/award/query.html",
        {
            "tender": bid.tender,
            "bid": bid,
            "query": query,
            "answer_form": answer_form,
            "decision_form": decision_form,
            "is_officer": is_officer,
            "sources": policy.sources,
            "rejection_rule": forms.REJECTION_RULE,
        },
    )


@login_required
def explanation_file(request: HttpRequest, pk: int) -> HttpResponse:
    stored = selectors.readable_explanation_file(user=request.user, pk=pk)
    if stored is None:
        raise Http404
    return _file_response(stored.file, name=stored.original_name, content_type=stored.content_type)


def _confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "yes"


@login_required
def lot_award(request: HttpRequest, pk: int) -> HttpResponse:
    """The award decision for a lot: the form, then a confirmation page, then the decision."""
    lot = _lot_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", lot.tender)
    if lot.tender.status_on() != TenderStatus.UNDER_EVALUATION:
        messages.error(request, "The award is decided while the tender is under evaluation.")
        return redirect("award-tender", pk=lot.tender_id)
    lot_ranking = ranking.rank_lot(lot=lot)
    if lot_ranking.current_decision is not None:
        messages.error(request, "The award of this lot is already decided.")
        return redirect("award-tender", pk=lot.tender_id)
    form = forms.AwardDecisionForm(request.POST or None, leader=lot_ranking.leader)
    confirming = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["outcome"] == AwardOutcome.NO_AWARD and not data["reason"].strip():
            form.add_error("reason", "Say why this lot is not awarded: bidders read it.")
        elif _confirmed(request):
            try:
                services.award_decide(
                    actor=request.user, lot=lot, outcome=data["outcome"], reason=data["reason"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"The award decision for {lot} was recorded.")
                return redirect("award-tender", pk=lot.tender_id)
        else:
            confirming = True
    return render(
        request,
        "tenders/award/lot_award.html",
        {
            "tender": lot.tender,
            "lot": lot,
            "ranking": lot_ranking,
            "refusals": lot_ranking.award_refusals(),
            "form": form,
            "confirming": confirming,
        },
    )


@login_required
def lot_award_replace(request: HttpRequest, pk: int) -> HttpResponse:
    """The winner fell away: set the decision aside and award to the next-ranked bid."""
    lot = _lot_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", lot.tender)
    lot_ranking = ranking.rank_lot(lot=lot)
    decision = lot_ranking.current_decision
    if decision is None or decision.outcome != AwardOutcome.AWARD:
        messages.error(request, "This lot has no winner to replace.")
        return redirect("award-tender", pk=lot.tender_id)
    form = forms.ReplaceWinnerForm(request.POST or None)
    confirming = False
    if request.method == "POST" and form.is_valid():
        if _confirmed(request):
            try:
                replaced = services.award_replace(
                    actor=request.user, lot=lot, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, f"{lot} is now awarded to {replaced.bid.bidder.name}, ranked next."
                )
                return redirect("award-tender", pk=lot.tender_id)
        else:
            confirming = True
    following = [row for row in lot_ranking.ranked if row.bid.pk != decision.bid_id]
    return render(
        request,
        "tenders/award/replace.html",
        {
            "tender": lot.tender,
            "lot": lot,
            "decision": decision,
            "next_row": following[0] if following else None,
            "form": form,
            "confirming": confirming,
        },
    )


@login_required
def tender_award(request: HttpRequest, pk: int) -> HttpResponse:
    """The award of a tender for its officer: each lot's decision, the award issued, standstill,
    challenges and contracts."""
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", tender)
    notice = selectors.standing_award_notice(tender=tender)
    lots = selectors.lot_award_state(tender=tender)
    now = timezone.now()
    return render(
        request,
        "tenders/award/tender_award.html",
        {
            "tender": tender,
            "status": tender.status_on(now),
            "lots": lots,
            "all_decided": all(item["decision"] for item in lots),
            "notice": notice,
            "standstill_over": bool(
                notice and notice.standstill_ends_at and now >= notice.standstill_ends_at
            ),
            "challenges": tender.challenges.select_related("recorded_by", "resolved_by"),
            "open_challenge": tender.challenges.filter(resolved_at__isnull=True).exists(),
        },
    )


@login_required
def tender_award_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page, then the award issued: letters, record, standstill, emails."""
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", tender)
    form = forms.IssueAwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.award_issue(
                actor=request.user,
                tender=tender,
                sent_electronically=form.cleaned_data["sent_electronically"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                "The award was issued. Every bidder can read its outcome; the standstill runs "
                f"to midnight at the end of {notice.standstill_last_day:%-d %B %Y}.",
            )
            return redirect("award-tender", pk=tender.pk)
    return render(
        request,
        "tenders/award/issue.html",
        {
            "tender": tender,
            "lots": selectors.lot_award_state(tender=tender),
            "form": form,
        },
    )


@login_required
def standstill_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page, then the end of standstill recorded."""
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", tender)
    notice = selectors.standing_award_notice(tender=tender)
    if notice is None:
        raise Http404
    if request.method == "POST":
        try:
            services.standstill_end(actor=request.user, tender=tender)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The standstill has ended: the contract can be entered.")
        return redirect("award-tender", pk=tender.pk)
    return render(
        request,
        "tenders/award/standstill_end.html",
        {
            "tender": tender,
            "notice": notice,
            "open_challenge": tender.challenges.filter(resolved_at__isnull=True).exists(),
            "not_yet": notice.standstill_ends_at and timezone.now() < notice.standstill_ends_at,
        },
    )


@login_required
def challenge_add(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", tender)
    form = forms.ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        received = timezone.make_aware(datetime.combine(form.cleaned_data["received_on"], time()))
        try:
            services.challenge_record(
                actor=request.user,
                tender=tender,
                summary=form.cleaned_data["summary"],
                received_at=received,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                error = ValidationError(
                    {
                        ("received_on" if key == "received_at" else key): value
                        for key, value in error.error_dict.items()
                    }
                )
            apply_errors(form, error)
        else:
            messages.success(request, "The challenge was recorded: entering the contract waits.")
            return redirect("award-tender", pk=tender.pk)
    return render(request, "tenders/award/challenge_form.html", {"tender": tender, "form": form})


@login_required
def challenge_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = get_object_or_404(Challenge.objects.select_related("tender"), pk=pk)
    tender = _tender_or_404(request, challenge.tender_id)
    require_perm(request, "tenders.manage_tender", tender)
    form = forms.ChallengeResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_resolve(
                actor=request.user, challenge=challenge, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The challenge was recorded as resolved.")
            return redirect("award-tender", pk=tender.pk)
    return render(
        request,
        "tenders/award/challenge_resolve.html",
        {"tender": tender, "challenge": challenge, "form": form},
    )


@login_required
def contract_enter(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _lot_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", lot.tender)
    tender = lot.tender
    initial = {"starts_on": tender.contract_start, "ends_on": tender.contract_end}
    decision = ranking.rank_lot(lot=lot).current_decision
    if decision is not None and decision.bid is not None and decision.bid.price is not None:
        initial["value"] = decision.bid.price
    form = forms.ContractForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_enter(actor=request.user, lot=lot, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, "The contract was entered with the winning bid's commitments."
            )
            return redirect("contract-detail", pk=contract.pk)
    return render(
        request,
        "tenders/award/contract_form.html",
        {"tender": tender, "lot": lot, "decision": decision, "form": form},
    )


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_for_page(pk=pk)
    if contract is None:
        raise Http404
    require_perm(request, "tenders.view_contract", contract)
    commitments = list(contract.commitments.all())
    return render(
        request,
        "tenders/award/contract.html",
        {
            "contract": contract,
            "tender": contract.tender,
            "commitments": commitments,
            "total": sum((c.monetised_value or 0 for c in commitments), 0),
        },
    )


@login_required
def bid_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """A bidder's own outcome and summary (the authority may read every bidder's)."""
    bid = _readable_bid_or_404(request, pk)
    letters = list(selectors.award_letters(user=request.user, bid=bid))
    if not letters:
        raise Http404
    return render(
        request,
        "tenders/award/outcome.html",
        {
            "bid": bid,
            "tender": bid.tender,
            "letter": letters[0],
            "earlier": letters[1:],
            "back": reverse("bid-detail", args=[bid.pk]),
        },
    )
