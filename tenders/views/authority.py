"""The authority's pages: its tenders, building and publishing one, amending it, moving it
through its lifecycle, opening and listing the bids, documents, its local policy and the
answers to bidders' questions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialvalue.core.permissions import can, organisations_with_role
from socialvalue.core.web import apply_errors, require_perm
from socialvalue.models import Organisation, PlannedContract
from tenders import forms, readiness, reference, selectors, services
from tenders.models import BidStatus, Clarification, Regime, Tender, TenderStatus, TieBreak
from tenders.permissions import (
    BUILDER_ROLES,
    POLICY_ROLES,
    bidder_organisations,
    bids_are_open,
    scopes_by_lot,
    works_at_authority,
)
from tenders.views.common import _apply_tender_errors, _run, _tender_or_404


@login_required
def tender_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "tenders.list_tenders")
    tenders = selectors.authority_tenders(user=request.user)
    page = Paginator(tenders, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "tenders/tender_list.html",
        {
            "page": page,
            "can_add": can(request.user, "tenders.add_tender"),
            "policy_authorities": Organisation.objects.filter(
                pk__in=organisations_with_role(request.user, *POLICY_ROLES)
            ),
        },
    )


def _tender_form(request, *, tender: Tender | None):
    authorities = Organisation.objects.filter(
        pk__in=organisations_with_role(request.user, *BUILDER_ROLES)
    ).order_by("name")
    fixed = tender.authority if tender else None
    planned = PlannedContract.objects.filter(
        authority__in=[fixed] if fixed else authorities
    ).order_by("title")
    initial = (
        forms.TenderForm.initial_for(tender)
        if tender
        else {
            "price_method": "lowest_price_ratio",
            "tie_break": TieBreak.QUALITY_THEN_SOCIAL_VALUE,
            "regime": Regime.PROCUREMENT_ACT_2023,
        }
    )
    if tender is None and authorities.count() == 1:
        initial["authority"] = authorities.first().pk
    return forms.TenderForm(
        request.POST or None,
        initial=initial,
        authorities=authorities,
        planned_contracts=planned,
        fixed_authority=fixed,
    )


@login_required
def tender_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "tenders.add_tender")
    form = _tender_form(request, tender=None)
    if request.method == "POST" and form.is_valid():
        try:
            tender = services.tender_create(
                actor=request.user,
                authority=form.cleaned_data["authority"],
                **form.service_fields(),
            )
        except ValidationError as error:
            _apply_tender_errors(form, error)
        else:
            messages.success(request, "The draft tender was created. Now set its award criteria.")
            return redirect(tender)
    return render(request, "tenders/tender_form.html", {"form": form, "tender": None})


@login_required
def tender_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.change_tender", tender)
    form = _tender_form(request, tender=tender)
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_update(actor=request.user, tender=tender, **form.service_fields())
        except ValidationError as error:
            _apply_tender_errors(form, error)
        else:
            messages.success(request, "The tender's details were saved.")
            return redirect(tender)
    return render(request, "tenders/tender_form.html", {"form": form, "tender": tender})


@login_required
@require_POST
def tender_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", tender)
    service = {
        "start_delivery": services.tender_start_delivery,
        "end": services.tender_end,
    }.get(action)
    if service is None:
        raise Http404
    _run(
        request,
        lambda: service(actor=request.user, tender=tender),
        lambda moved: f"The tender is now {moved.get_status_display().lower()}.",
    )
    return redirect(tender)


@login_required
def tender_publish(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", tender)
    if tender.status != TenderStatus.DRAFT:
        messages.error(request, "This tender has already been published.")
        return redirect(tender)
    reasons = forms.ReasonsForm(
        request.POST or None,
        initial={
            "low_social_value_reason": tender.low_social_value_reason,
            "untied_question_reason": tender.untied_question_reason,
        },
    )
    if request.method == "POST" and reasons.is_valid():
        try:
            services.tender_record_reasons(
                actor=request.user,
                tender=tender,
                low_social_value_reason=reasons.cleaned_data["low_social_value_reason"],
                untied_question_reason=reasons.cleaned_data["untied_question_reason"],
            )
            tender = services.tender_publish(actor=request.user, tender=tender)
        except ValidationError as error:
            apply_errors(reasons, error)
        else:
            messages.success(request, "The tender is published and open for bids.")
            return redirect(tender)
    check = readiness.check(tender=tender)
    if not check.below_minimum:
        del reasons.fields["low_social_value_reason"]
    if not check.untied:
        del reasons.fields["untied_question_reason"]
    return render(
        request,
        "tenders/tender_publish.html",
        {"tender": tender, "check": check, "form": reasons},
    )


@login_required
def tender_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Extend an open tender's deadlines or add documents, with the reason bidders will read."""
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", tender)
    if not tender.is_open_for_bids():
        messages.error(request, "Only a tender open for bids can be amended.")
        return redirect(tender)
    form = forms.AmendmentForm(
        request.POST or None,
        request.FILES or None,
        initial=forms.AmendmentForm.deadline_initial(tender),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_amend(
                actor=request.user,
                tender=tender,
                reason=form.cleaned_data["reason"],
                submission_deadline=form.cleaned_data["submission_deadline"],
                clarification_deadline=form.cleaned_data["clarification_deadline"],
                documents=form.documents(),
            )
        except ValidationError as error:
            _apply_tender_errors(form, error)
        else:
            messages.success(
                request, "The tender was amended. Bidders with a bid or a question are emailed."
            )
            return redirect(tender)
    return render(request, "tenders/tender_amend.html", {"form": form, "tender": tender})


@login_required
def tender_open_bids(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation page, then the bids opened (or, where the tender needs two officers, the
    opening asked for, and confirmed by another officer)."""
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", tender)
    needs_request = tender.second_officer_opens_bids and tender.bids_opening_requested_at is None
    if request.method == "POST":
        if needs_request:
            _run(
                request,
                lambda: services.open_bids_request(actor=request.user, tender=tender),
                "The opening was asked for. Another procurement officer must confirm it.",
            )
            return redirect(tender)
        if not _run(
            request,
            lambda: services.open_bids(actor=request.user, tender=tender),
            "The bids are open and the evaluation has started. Your opening was recorded in "
            "the audit trail.",
        ):
            return redirect(tender)
        return redirect("tender-bids", pk=tender.pk)
    if tender.bids_opened_at is not None:
        messages.error(request, "The bids have already been opened.")
        return redirect(tender)
    return render(
        request,
        "tenders/tender_open_bids.html",
        {
            "tender": tender,
            "bid_count": selectors.submitted_bid_count(tender=tender),
            "needs_request": needs_request,
            "own_request": tender.bids_opening_requested_by_id == request.user.pk,
            "deadline_passed": tender.deadline_passed(),
        },
    )


@login_required
def tender_bids(request: HttpRequest, pk: int) -> HttpResponse:
    """The opened bids (for the authority) or one's own bids (for a bidder)."""
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.view_tender", tender)
    bids = list(
        selectors.bids_readable_by(user=request.user, tender=tender)
        .filter(status=BidStatus.SUBMITTED)
        .order_by("lot__number", "bidder__name")
    )
    # A panel member sees a lot's prices only when they evaluate its price.
    scopes = scopes_by_lot(request.user, tender)
    own = bidder_organisations(request.user)
    for bid in bids:
        scope = scopes.get(bid.lot_id)
        bid.price_shown = bid.bidder_id in own or (
            scope is not None and (scope.whole or scope.price)
        )
    return render(
        request,
        "tenders/tender_bids.html",
        {
            "tender": tender,
            "bids": bids,
            "bids_open": bids_are_open(tender),
            "bid_count": selectors.submitted_bid_count(tender=tender),
            "is_authority": works_at_authority(request.user, tender),
        },
    )


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.change_tender", tender)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                actor=request.user,
                tender=tender,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The document was added.")
            return redirect(tender)
    return render(request, "tenders/document_form.html", {"form": form, "tender": tender})


@login_required
def local_minimum_page(request: HttpRequest, slug: str) -> HttpResponse:
    authority = get_object_or_404(Organisation, slug=slug, kind="authority")
    require_perm(request, "tenders.view_local_minimum", authority)
    can_set = can(request.user, "tenders.set_local_minimum", authority)
    form = forms.LocalMinimumForm(request.POST or None) if can_set else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.local_minimum_record(
                actor=request.user, authority=authority, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The local minimum was recorded.")
            return redirect("tender-policy", slug=authority.slug)
    today = timezone.localdate()
    return render(
        request,
        "tenders/policy.html",
        {
            "authority": authority,
            "rows": authority.social_value_minimums.select_related("recorded_by"),
            "minimum": reference.minimum_weighting(authority=authority, on_date=today),
            "form": form,
        },
    )


@login_required
def clarification_answer(request: HttpRequest, pk: int) -> HttpResponse:
    clarification = get_object_or_404(
        Clarification.objects.select_related("tender", "bidder", "asked_by"), pk=pk
    )
    tender = clarification.tender
    require_perm(request, "tenders.manage_tender", tender)
    form = forms.AnswerForm(
        request.POST or None,
        initial={
            "answer": clarification.answer,
            "published_question": clarification.question,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.clarification_answer(
                actor=request.user,
                clarification=clarification,
                answer=form.cleaned_data["answer"],
                publish=form.cleaned_data["publish"] == "all",
                published_question=form.cleaned_data["published_question"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The answer was saved and the bidders will be emailed.")
            return redirect("tender-clarifications", pk=tender.pk)
    return render(
        request,
        "tenders/clarification_answer.html",
        {"form": form, "tender": tender, "clarification": clarification},
    )
