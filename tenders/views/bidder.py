"""The bidder's pages: opportunities, starting and editing a bid, its commitments and
attachments, submitting and withdrawing it, and the list of one's bids."""

from __future__ import annotations

import hashlib

from django import forms as forms_module
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from measurement.models import Measure
from socialvalue.core.web import apply_errors, require_perm
from socialvalue.kernel.limits import read_id
from socialvalue.models import Organisation
from tenders import forms, selectors, services, valuation
from tenders.filters import OpportunityFilter
from tenders.models import BidStatus, Criterion, CriterionKind
from tenders.permissions import bidder_organisations
from tenders.views.common import _lot_or_404, _own_bid_or_404, _run


@login_required
def opportunities(request: HttpRequest) -> HttpResponse:
    filters = OpportunityFilter(
        request.GET, queryset=selectors.opportunities(user=request.user), request=request
    )
    # The page offers the authorities with tenders to find; the API takes any authority's id.
    # The choices come from the shared cache (one list per request, no query); the queryset
    # only checks a chosen id.
    authority = filters.form.fields["authority"]
    authority.queryset = selectors.authorities_with_published_tenders()
    # Django's own setter: django-filter's would wrap the list in a queryset iterator again.
    choices = selectors.opportunity_authority_choices()
    forms_module.ChoiceField.choices.fset(authority, [("", authority.empty_label), *choices])
    # A refused filter is shown next to its field; the others still apply.
    page = Paginator(filters.qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tenders/opportunities.html",
        {
            "form": filters.form,
            "page": page,
            "query": query.urlencode(),
            "now": timezone.now(),
            # The filter form drawn (its 200 authorities take longer than the rest of the page)
            # is the same for the same input, choices and day: its cached copy's key.
            "form_key": hashlib.sha256(
                repr((sorted(query.lists()), choices, timezone.localdate())).encode()
            ).hexdigest(),
        },
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
            preview = valuation.commitment_preview(
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
    commitment = selectors.readable_commitment(user=request.user, pk=pk)
    if commitment is None:
        raise Http404
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
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.readable_attachment(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
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
