"""Pages for tenders, the criteria builder, opportunities, clarifications and bids.

Thin: read through tenders.selectors, check with require_perm, validate with a form, call one
service, redirect or render. Bid contents are only ever fetched through bids_readable_by.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from measurement.models import Measure
from socialvalue.core.permissions import can, organisations_with_role
from socialvalue.core.web import apply_errors, require_perm
from socialvalue.kernel.limits import read_id
from socialvalue.models import Organisation, PlannedContract
from tenders import criteria as criteria_layout
from tenders import forms, scoring, selectors, services
from tenders.models import (
    Bid,
    BidAttachment,
    BidStatus,
    Clarification,
    Commitment,
    Criterion,
    CriterionKind,
    Lot,
    Tender,
    TenderDocument,
    TenderStatus,
)
from tenders.permissions import (
    BUILDER_ROLES,
    POLICY_ROLES,
    bidder_organisations,
    bids_are_open,
    can_read_bid,
    works_at_authority,
)


def _tender_or_404(request: HttpRequest, pk: int) -> Tender:
    tender = selectors.tenders_visible_to(user=request.user).filter(pk=pk).first()
    if tender is None:
        raise Http404
    return tender


def _run(request: HttpRequest, call, success) -> bool:
    """Run one service call for a button; show its refusal, or `success` (text, or a function
    of the result), as the message on the next page. True when it was done."""
    try:
        result = call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


def _apply_tender_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        error = ValidationError(
            {forms.TENDER_ERROR_FIELDS.get(k, k): v for k, v in error.error_dict.items()}
        )
    apply_errors(form, error)


# --------------------------------------------------------------------------- authority side


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
        forms.TenderForm.initial_for(tender) if tender else {"price_method": "lowest_price_ratio"}
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
def tender_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
    readable = list(selectors.bids_readable_by(user=user, tender=tender, now=now))
    own_organisations = bidder_organisations(user)
    own_bids = [bid for bid in readable if bid.bidder_id in own_organisations]
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
        "own_bids": own_bids,
        "bid_count": selectors.submitted_bid_count(tender=tender) if is_authority else None,
        "bids_open": bids_are_open(tender, now),
        "deadline_passed": tender.deadline_passed(now),
        "act_assessment": selectors.latest_act_assessment(tender) if is_authority else None,
        "next_action": _next_action(tender, now),
        "open_for_questions": tender.is_open_for_questions(now),
        "market_statement": _market_statement_url(tender),
        "back": _tender_back_link(user, is_authority),
    }
    return render(request, "tenders/tender_detail.html", context)


def _tender_back_link(user, is_authority: bool) -> tuple[str, str] | None:
    """(url, words) of the list this person reached the tender from: the authority's tenders or
    the opportunities."""
    if is_authority and can(user, "tenders.list_tenders"):
        return reverse("tender-list"), "Back to tenders"
    if can(user, "tenders.view_opportunities"):
        return reverse("tender-opportunities"), "Back to opportunities"
    return None


def _market_statement_url(tender: Tender) -> str:
    """The tender's own link, else the authority's published market statement page."""
    if tender.market_statement_url:
        return tender.market_statement_url
    from socialvalue.definitions.selectors import adopted_definition_for

    if adopted_definition_for(authority=tender.authority_id) is None:
        return ""
    return reverse("definition-market-statement", args=[tender.authority.slug])


def _next_action(tender: Tender, now) -> dict | None:
    action = services.next_transition(tender, now)
    return {"action": action, "label": _TRANSITION_LABELS[action]} if action else None


_TRANSITION_LABELS = {
    "start_evaluation": "Start the evaluation",
    "award": "Record that the contract is awarded",
    "start_delivery": "Record that delivery has started",
    "end": "Record that the contract has ended",
}


@login_required
@require_POST
def tender_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", tender)
    service = {
        "start_evaluation": services.tender_start_evaluation,
        "award": services.tender_award,
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
    check = selectors.readiness(tender=tender)
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
@require_POST
def tender_open_bids(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.manage_tender", tender)
    if not _run(
        request,
        lambda: services.open_bids(actor=request.user, tender=tender),
        "The bids are open. Your opening was recorded in the audit trail.",
    ):
        return redirect(tender)
    return redirect("tender-bids", pk=tender.pk)


@login_required
def tender_bids(request: HttpRequest, pk: int) -> HttpResponse:
    """The opened bids (for the authority) or one's own bids (for a bidder)."""
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.view_tender", tender)
    bids = (
        selectors.bids_readable_by(user=request.user, tender=tender)
        .filter(status=BidStatus.SUBMITTED)
        .order_by("lot__number", "bidder__name")
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
def lot_add(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.change_tender", tender)
    form = forms.LotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.lot_add(actor=request.user, tender=tender, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{lot} was added.")
            return redirect("tender-criteria", pk=lot.pk)
    return render(request, "tenders/lot_form.html", {"form": form, "tender": tender, "lot": None})


def _lot_or_404(request, pk: int) -> Lot:
    lot = get_object_or_404(Lot.objects.select_related("tender", "tender__authority"), pk=pk)
    if not can(request.user, "tenders.view_tender", lot.tender):
        raise Http404
    return lot


@login_required
def lot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _lot_or_404(request, pk)
    require_perm(request, "tenders.change_tender", lot.tender)
    form = forms.LotForm(
        request.POST or None,
        initial={
            "title": lot.title,
            "description": lot.description,
            "estimated_value": lot.estimated_value,
        },
    )
    if request.method == "POST":
        if "remove" in request.POST:
            if _run(
                request,
                lambda: services.lot_remove(actor=request.user, lot=lot),
                f"{lot} was removed.",
            ):
                return redirect(lot.tender)
            return redirect("tender-lot-edit", pk=lot.pk)
        if form.is_valid():
            try:
                services.lot_update(actor=request.user, lot=lot, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "The lot was saved.")
                return redirect("tender-criteria", pk=lot.pk)
    return render(
        request, "tenders/lot_form.html", {"form": form, "tender": lot.tender, "lot": lot}
    )


@login_required
def criteria_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The award criteria builder for one lot: the tree, its problems by row, policy warnings."""
    lot = _lot_or_404(request, pk)
    tender = lot.tender
    require_perm(request, "tenders.view_tender", tender)
    rows = selectors.lot_criteria(lot)
    tree_report = criteria_layout.report(rows)
    on_date = timezone.localdate(tender.published_at or timezone.now())
    minimum = selectors.minimum_weighting(
        authority=tender.authority,
        on_date=on_date,
        above=selectors.above_threshold(tender=tender),
    )
    return render(
        request,
        "tenders/criteria.html",
        {
            "tender": tender,
            "lot": lot,
            "report": tree_report,
            "minimum": minimum,
            "below_minimum": minimum.percent is not None
            and tree_report.social_value_share < minimum.percent,
            "advice": selectors.proportionality_advice(
                value=lot.estimated_value or tender.estimated_value
            ),
            "can_edit": can(request.user, "tenders.change_tender", tender),
            "price_method": scoring.PRICE_METHODS.get(tender.price_method),
        },
    )


def _priorities_and_measures(tender: Tender, priority_id=None):
    from socialvalue.definitions.selectors import adopted_definition_for
    from socialvalue.models import Priority

    definition = adopted_definition_for(authority=tender.authority_id)
    priorities = (
        Priority.objects.filter(definition=definition).order_by("order", "pk")
        if definition
        else Priority.objects.none()
    )
    if definition:
        measures = Measure.objects.filter(
            priority_links__priority__definition=definition
        ).distinct()
    else:
        measures = Measure.objects.filter(is_active=True)
    return priorities, measures.order_by("code")


def _criterion_kwargs(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "weight": data["weight"],
        "question": data.get("question", ""),
        "max_mark": data.get("max_mark"),
        "pass_mark": data.get("pass_mark"),
        "descriptors": data.get("descriptors"),
        "word_limit": data.get("word_limit"),
        "priority": data.get("priority"),
        "measures": data.get("measures") or [],
    }


@login_required
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _lot_or_404(request, pk)
    tender = lot.tender
    require_perm(request, "tenders.change_tender", tender)
    parent = None
    if request.GET.get("parent"):
        parent = get_object_or_404(Criterion, pk=read_id(request.GET["parent"]), lot=lot)
    priorities, measures = _priorities_and_measures(tender)
    initial = {}
    if parent is None or parent.kind != CriterionKind.PRICE:
        initial["descriptors"] = criteria_layout.descriptors_to_text(
            [{"mark": m, "text": t} for m, t in criteria_layout.DEFAULT_DESCRIPTORS]
        )
        initial["max_mark"] = criteria_layout.DEFAULT_SCALE_MAX
    form = forms.CriterionForm(
        request.POST or None,
        initial=initial,
        kind=parent.kind if parent else None,
        priorities=priorities,
        measures=measures,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_add(
                actor=request.user,
                lot=lot,
                parent=parent,
                kind=form.cleaned_data.get("kind") or "",
                **_criterion_kwargs(form),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"'{form.cleaned_data['name']}' was added.")
            return redirect("tender-criteria", pk=lot.pk)
    return render(
        request,
        "tenders/criterion_form.html",
        {"form": form, "tender": tender, "lot": lot, "parent": parent, "criterion": None},
    )


@login_required
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = get_object_or_404(
        Criterion.objects.select_related("lot", "lot__tender", "lot__tender__authority"), pk=pk
    )
    lot, tender = criterion.lot, criterion.lot.tender
    if not can(request.user, "tenders.view_tender", tender):
        raise Http404
    require_perm(request, "tenders.change_tender", tender)
    priorities, measures = _priorities_and_measures(tender)
    form = forms.CriterionForm(
        request.POST or None,
        initial=forms.CriterionForm.initial_for(criterion),
        kind=criterion.kind,
        priorities=priorities,
        measures=measures,
    )
    if request.method == "POST":
        if "remove" in request.POST:
            services.criterion_remove(actor=request.user, criterion=criterion)
            messages.success(request, f"'{criterion.name}' was removed.")
            return redirect("tender-criteria", pk=lot.pk)
        if form.is_valid():
            try:
                services.criterion_update(
                    actor=request.user, criterion=criterion, **_criterion_kwargs(form)
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"'{criterion.name}' was saved.")
                return redirect("tender-criteria", pk=lot.pk)
    return render(
        request,
        "tenders/criterion_form.html",
        {
            "form": form,
            "tender": tender,
            "lot": lot,
            "parent": criterion.parent,
            "criterion": criterion,
        },
    )


@login_required
def weights_page(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _lot_or_404(request, pk)
    require_perm(request, "tenders.change_tender", lot.tender)
    rows = criteria_layout.report(selectors.lot_criteria(lot)).rows
    form = forms.WeightsForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.weights_update(
                actor=request.user, lot=lot, weights=form.cleaned_data["weights"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The weights were saved; every level adds up to 100.")
            return redirect("tender-criteria", pk=lot.pk)
    return render(request, "tenders/weights.html", {"form": form, "tender": lot.tender, "lot": lot})


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


def _file_response(field_file, *, name: str, content_type: str) -> FileResponse:
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(TenderDocument.objects.select_related("tender"), pk=pk)
    if not can(request.user, "tenders.view_tender", document.tender):
        raise Http404
    return _file_response(
        document.file, name=document.original_name, content_type=document.content_type
    )


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
            "minimum": selectors.minimum_weighting(authority=authority, on_date=today),
            "form": form,
        },
    )


# --------------------------------------------------------------------------- bidders


@login_required
def opportunities(request: HttpRequest) -> HttpResponse:
    bands = selectors.value_bands()
    form = forms.OpportunityFilterForm(
        request.GET or None,
        authorities=selectors.authorities_with_published_tenders(),
        bands=bands,
    )
    form.is_valid()
    # Apply whichever filters are valid; a stale choice (an authority gone) is just ignored.
    filters = getattr(form, "cleaned_data", {})
    tenders = selectors.opportunities(
        user=request.user,
        query=filters.get("q", ""),
        authority_id=filters["authority"].pk if filters.get("authority") else None,
        value_band=filters.get("value", ""),
        closing_within_days=int(filters["closing"]) if filters.get("closing") else None,
        lot_query=filters.get("lot", ""),
        include_closed=filters.get("closed", False),
    )
    page = Paginator(tenders, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tenders/opportunities.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
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
            "items": selectors.clarifications_visible_to(user=request.user, tender=tender),
            "form": form,
            "can_answer": can(request.user, "tenders.manage_tender", tender),
            "own_organisations": set(bidders.values_list("pk", flat=True)),
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


@login_required
def bid_start(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _lot_or_404(request, pk)
    if lot.tender.deadline_passed() and bidder_organisations(request.user):
        # A bidder following an old link is told why, not shown a bare refusal.
        messages.error(
            request,
            "The deadline for bids on this tender passed on "
            f"{services.moment_text(lot.tender.submission_deadline)}. "
            "It no longer takes bids.",
        )
        return redirect(lot.tender)
    require_perm(request, "tenders.bid_on_tender", lot.tender)
    bidders = Organisation.objects.filter(pk__in=bidder_organisations(request.user))
    form = forms.BidderChoiceForm(request.POST or None, bidders=bidders)
    if bidders.count() == 1 and request.method == "POST":
        form = forms.BidderChoiceForm({"bidder": bidders.first().pk}, bidders=bidders)
    if request.method == "POST" and form.is_valid():
        try:
            bid = services.bid_start(
                actor=request.user, lot=lot, bidder=form.cleaned_data["bidder"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(lot.tender)
        return redirect("bid-edit", pk=bid.pk)
    return render(
        request, "tenders/bid_start.html", {"form": form, "lot": lot, "tender": lot.tender}
    )


def _readable_bid_or_404(request, pk: int) -> Bid:
    """A bid whose contents this user may read; anything else is not found (it may exist,
    but a sealed or foreign bid is not even confirmed to a stranger)."""
    bid = get_object_or_404(Bid.objects.select_related("tender", "lot", "bidder"), pk=pk)
    if not selectors.bids_readable_by(user=request.user, tender=bid.tender).filter(pk=pk).exists():
        raise Http404
    return bid


@login_required
def bid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bid = selectors.bid_with_contents(_readable_bid_or_404(request, pk))
    require_perm(request, "tenders.view_bid", bid)
    now = timezone.now()
    own = can(request.user, "tenders.change_bid", bid)
    answers = {a.criterion_id: a for a in bid.answers.all()}
    commitments = list(bid.commitments.all())
    return render(
        request,
        "tenders/bid_detail.html",
        {
            "bid": bid,
            "tender": bid.tender,
            "questions": [(row, answers.get(row.pk)) for row in selectors.lot_questions(bid.lot)],
            "commitments": commitments,
            "commitment_total": sum((c.monetised_value or 0 for c in commitments), 0),
            "own": own,
            "open_for_bids": bid.tender.is_open_for_bids(now),
            "latest_receipt": next(
                (r for r in sorted(bid.receipts.all(), key=lambda r: (r.at, r.pk), reverse=True)),
                None,
            ),
        },
    )


def _own_bid_or_404(request, pk: int) -> Bid:
    bid = _readable_bid_or_404(request, pk)
    require_perm(request, "tenders.change_bid", bid)
    return bid


@login_required
def bid_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bid = _own_bid_or_404(request, pk)
    if bid.status == BidStatus.SUBMITTED or not bid.tender.is_open_for_bids():
        return redirect(bid)
    questions = selectors.lot_questions(bid.lot)
    tender = bid.tender
    answers = {a.criterion_id: a.text for a in bid.answers.all()}
    initial = {"price": bid.price, "price_breakdown": bid.price_breakdown}
    initial.update({f"answer_{k}": v for k, v in answers.items()})
    form = forms.BidForm(
        request.POST or None,
        initial=initial,
        questions=questions,
        has_price=selectors.lot_has_price(bid.lot),
        breakdown=tender.price_breakdown_required,
        breakdown_guidance=tender.price_breakdown_guidance,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.bid_save(
                actor=request.user,
                bid=bid,
                price=form.cleaned_data.get("price"),
                price_breakdown=form.cleaned_data.get("price_breakdown", ""),
                answers=form.answers(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Your draft was saved.")
            return redirect(bid)
    return render(request, "tenders/bid_edit.html", {"form": form, "bid": bid, "tender": tender})


@login_required
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    bid = _own_bid_or_404(request, pk)
    sv_questions = Criterion.objects.filter(
        lot=bid.lot, kind=CriterionKind.SOCIAL_VALUE, children__isnull=True
    ).order_by("order", "pk")
    chosen = None
    if criterion_id := read_id(request.POST.get("criterion")):
        chosen = sv_questions.filter(pk=criterion_id).first()
    lot_measures = Measure.objects.filter(criteria__lot=bid.lot, is_active=True).distinct()
    measures = (
        selectors.measures_for_criterion(chosen)
        if chosen is not None
        else (lot_measures if lot_measures.exists() else Measure.objects.filter(is_active=True))
    ).order_by("code")
    form = forms.CommitmentForm(request.POST or None, questions=sv_questions, measures=measures)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            preview = selectors.commitment_preview(
                measure=data["measure"], quantity=data["quantity"], on_date=timezone.localdate()
            )
        else:
            try:
                services.commitment_add(
                    actor=request.user,
                    bid=bid,
                    measure=data["measure"],
                    quantity=data["quantity"],
                    timing=data["timing"],
                    criterion=data.get("criterion"),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "The commitment was added.")
                return redirect(bid)
    return render(
        request,
        "tenders/commitment_form.html",
        {"form": form, "bid": bid, "tender": bid.tender, "preview": preview},
    )


@login_required
@require_POST
def commitment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("bid"), pk=pk)
    bid = _own_bid_or_404(request, commitment.bid_id)
    _run(
        request,
        lambda: services.commitment_remove(actor=request.user, commitment=commitment),
        "The commitment was removed.",
    )
    return redirect(bid)


@login_required
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    bid = _own_bid_or_404(request, pk)
    questions = Criterion.objects.filter(lot=bid.lot, children__isnull=True).exclude(
        kind=CriterionKind.PRICE
    )
    form = forms.AttachmentForm(request.POST or None, request.FILES or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                bid=bid,
                upload=form.cleaned_data["file"],
                criterion=form.cleaned_data.get("criterion"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The file was attached.")
            return redirect(bid)
    return render(
        request,
        "tenders/attachment_form.html",
        {
            "form": form,
            "bid": bid,
            "tender": bid.tender,
            "max_mb": services.attachment_max_bytes() // (1024 * 1024),
            "types": ", ".join(sorted(t.lstrip(".").upper() for t in services.attachment_types())),
        },
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(
        BidAttachment.objects.select_related("bid", "bid__tender"), pk=pk
    )
    # The sealed rule decides, as for the bid page; a refusal does not confirm the file exists.
    if not can_read_bid(request.user, attachment.bid):
        raise Http404
    return _file_response(
        attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(BidAttachment.objects.select_related("bid"), pk=pk)
    bid = _own_bid_or_404(request, attachment.bid_id)
    _run(
        request,
        lambda: services.attachment_remove(actor=request.user, attachment=attachment),
        "The file was removed.",
    )
    return redirect(bid)


@login_required
def bid_submit(request: HttpRequest, pk: int) -> HttpResponse:
    bid = _own_bid_or_404(request, pk)
    context = {"bid": bid, "tender": bid.tender, "open_for_bids": bid.tender.is_open_for_bids()}
    if request.method == "POST":
        try:
            receipt = services.bid_submit(actor=request.user, bid=bid)
        except ValidationError as error:
            problems = (
                [msg for msgs in error.message_dict.values() for msg in msgs]
                if hasattr(error, "error_dict")
                else error.messages
            )
            return render(
                request, "tenders/bid_submit.html", {**context, "problems": problems}, status=400
            )
        messages.success(
            request,
            f"Your bid was submitted. Your receipt is {receipt.number}; keep its digest below.",
        )
        return redirect(bid)
    return render(request, "tenders/bid_submit.html", context)


@login_required
@require_POST
def bid_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    bid = _own_bid_or_404(request, pk)
    _run(
        request,
        lambda: services.bid_withdraw(actor=request.user, bid=bid),
        lambda receipt: (
            f"Your bid was withdrawn (receipt {receipt.number}). You can change it "
            "and submit it again before the deadline."
        ),
    )
    return redirect(bid)


@login_required
def my_bids(request: HttpRequest) -> HttpResponse:
    require_perm(request, "tenders.view_opportunities")
    bids = selectors.own_bids(user=request.user)
    page = Paginator(bids, 25).get_page(request.GET.get("page"))
    return render(request, "tenders/my_bids.html", {"page": page, "now": timezone.now()})
