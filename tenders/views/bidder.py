"""The bidder's pages: opportunities, starting and editing a bid, its commitments and
attachments, submitting and withdrawing it, and the list of one's bids."""

from __future__ import annotations

import hashlib

from django import forms as forms_module
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from measurement.models import Measure
from socialvalue.core.permissions import can
from socialvalue.core.web import apply_errors, require_perm
from socialvalue.kernel.limits import read_id
from socialvalue.models import Organisation
from tenders import forms, selectors, services, valuation
from tenders.filters import OpportunityFilter
from tenders.models import BidStatus, Criterion, CriterionKind
from tenders.permissions import bidder_organisations
from tenders.views.common import _lot_or_404, _own_bid_or_404, _run, _tender_or_404


def opportunities(request: HttpRequest) -> HttpResponse:
    """Published tenders, filtered: public, as the API is (a visitor sees what anyone may)."""
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
            "can_save": can(request.user, "tenders.save_searches"),
            "save_form": forms.SavedSearchForm(initial={"query": query.urlencode()}),
        },
    )


@login_required
def saved_searches(request: HttpRequest) -> HttpResponse:
    """A bidder's saved searches: save the current filters, turn alerts on or off, remove."""
    require_perm(request, "tenders.save_searches")
    form = forms.SavedSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_search_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                query=QueryDict(form.cleaned_data["query"]),
                email_alerts=form.cleaned_data["email_alerts"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                "Your search was saved."
                + (
                    " We will email you when new tenders match it."
                    if form.cleaned_data["email_alerts"]
                    else ""
                ),
            )
            return redirect("tender-alerts")
    searches = Paginator(selectors.saved_searches_of(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    for search in searches.object_list:
        search.described = services.describe_query(search.query)
        search.url = reverse("tender-opportunities") + (
            "?" + urlencode(search.query) if search.query else ""
        )
    return render(request, "tenders/saved_searches.html", {"page": searches, "form": form})


@login_required
@require_POST
def saved_search_change(request: HttpRequest, pk: int) -> HttpResponse:
    # Another person's search is not found: the selector holds only the person's own.
    search = get_object_or_404(selectors.saved_searches_of(user=request.user), pk=pk)
    if "remove" in request.POST:
        services.saved_search_remove(actor=request.user, search=search)
        messages.success(request, f"'{search.name}' was removed.")
    else:
        on = request.POST.get("email_alerts") == "on"
        services.saved_search_set_alerts(actor=request.user, search=search, email_alerts=on)
        messages.success(request, f"Email alerts for '{search.name}' are {'on' if on else 'off'}.")
    return redirect("tender-alerts")


def saved_search_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an alert email: asks, then stops that search's alerts (no sign-in needed; a
    GET changes nothing, as mail scanners follow links)."""
    search = services.search_for_token(token)
    if search is None:
        raise Http404
    if request.method == "POST":
        services.saved_search_set_alerts(actor=None, search=search, email_alerts=False)
        return render(request, "tenders/unsubscribe.html", {"search": search, "done": True})
    return render(request, "tenders/unsubscribe.html", {"search": search, "done": False})


@login_required
@require_POST
def tender_interest(request: HttpRequest, pk: int) -> HttpResponse:
    """Register (or withdraw) the bidder organisation's interest in an open tender."""
    tender = _tender_or_404(request, pk)
    bidders = Organisation.objects.filter(pk__in=bidder_organisations(request.user))
    if not bidders.exists():
        raise PermissionDenied
    if "withdraw" in request.POST:
        for bidder in bidders:
            services.interest_withdraw(actor=request.user, tender=tender, bidder=bidder)
        messages.success(request, "Your interest was withdrawn.")
        return redirect(tender)
    require_perm(request, "tenders.express_interest", tender)
    chosen = read_id(request.POST.get("bidder"))
    bidder = bidders.filter(pk=chosen).first() if chosen else bidders.first()
    if bidder is None:
        raise Http404
    _run(
        request,
        lambda: services.interest_register(actor=request.user, tender=tender, bidder=bidder),
        f"{bidder.name}'s interest is registered. You will be emailed answers and amendments.",
    )
    return redirect(tender)


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
    """Add a commitment: first the social value question it answers, then one of the measures
    that question asks for (only those are offered)."""
    bid = _own_bid_or_404(request, pk)
    questions = [row for row in selectors.lot_questions(bid.lot) if row.kind == "social_value"]
    sv_questions = Criterion.objects.filter(pk__in=[row.pk for row in questions]).select_related(
        "priority"
    )
    chosen = None
    asked = read_id(request.POST.get("criterion") or request.GET.get("question"))
    if asked:
        chosen = sv_questions.filter(pk=asked).first()
    if questions and chosen is None:
        asked_for = (
            {"question": request.POST.get("criterion", "")}
            if request.method == "POST"
            else (request.GET if "question" in request.GET else None)
        )
        choice = forms.CommitmentQuestionForm(asked_for, questions=sv_questions)
        choice.is_valid()
        return render(
            request,
            "tenders/commitment_question.html",
            {"form": choice, "bid": bid, "tender": bid.tender},
        )
    measures = (
        selectors.measures_for_criterion(chosen)
        if chosen is not None
        else Measure.objects.filter(is_active=True)
    ).order_by("code")
    form = forms.CommitmentForm(
        request.POST or None, questions=sv_questions, measures=measures, question=chosen
    )
    preview = preview_flag = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            preview = valuation.commitment_preview(
                measure=data["measure"], quantity=data["quantity"], on_date=timezone.localdate()
            )
            preview_flag = valuation.preview_flag(
                price=bid.price, preview=preview, on_date=timezone.localdate()
            )
        else:
            try:
                services.commitment_add(
                    actor=request.user,
                    bid=bid,
                    measure=data["measure"],
                    quantity=data["quantity"],
                    timing=data["timing"],
                    criterion=chosen,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "The commitment was added.")
                return redirect(bid)
    return render(
        request,
        "tenders/commitment_form.html",
        {
            "form": form,
            "bid": bid,
            "tender": bid.tender,
            "preview": preview,
            "preview_flag": preview_flag,
            "question": chosen,
            "several_questions": len(questions) > 1,
        },
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
    """Check and submit: everything the bid holds, a declaration to confirm, then the receipt."""
    bid = selectors.bid_with_contents(user=request.user, bid=_own_bid_or_404(request, pk))
    form = forms.SubmitDeclarationForm(request.POST if request.method == "POST" else None)
    context = {
        **_bid_contents_context(bid),
        "open_for_bids": bid.tender.is_open_for_bids(),
        "form": form,
        "plausibility": valuation.bid_plausibility(
            price=bid.price, commitments=bid.commitments.all(), on_date=timezone.localdate()
        ),
    }
    if request.method == "POST":
        # Past the deadline the service's refusal says why, whatever was ticked.
        if not form.is_valid() and context["open_for_bids"]:
            return render(request, "tenders/bid_submit.html", context, status=400)
        try:
            receipt = services.bid_submit(
                actor=request.user,
                bid=bid,
                declaration=forms.DECLARATION,
                receipt_url=request.build_absolute_uri(reverse("bid-receipt", args=[bid.pk])),
            )
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
            f"Your bid was submitted. Your receipt number is {receipt.number}; it has been "
            "emailed to your organisation's bidders.",
        )
        return redirect("bid-receipt", pk=bid.pk)
    return render(request, "tenders/bid_submit.html", context)


def _bid_contents_context(bid) -> dict:
    answers = {a.criterion_id: a for a in bid.answers.all()}
    questions = selectors.lot_questions(bid.lot)
    return {
        "bid": bid,
        "tender": bid.tender,
        "question_groups": [
            (label, [(row, answers.get(row.pk)) for row in rows])
            for label, rows in selectors.questions_by_kind(questions)
        ],
        "commitments": list(bid.commitments.all()),
        "commitment_total": valuation.commitment_total(bid),
    }


@login_required
def bid_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable receipt of the bid's latest submission or withdrawal (its own bidders)."""
    bid = selectors.bid_with_contents(user=request.user, bid=_own_bid_or_404(request, pk))
    receipts = sorted(bid.receipts.all(), key=lambda r: (r.at, r.pk), reverse=True)
    if not receipts:
        messages.error(request, "This bid has no receipt yet: it has not been submitted.")
        return redirect(bid)
    return render(
        request,
        "tenders/bid_receipt.html",
        {
            **_bid_contents_context(bid),
            "receipt": receipts[0],
            "attachments": list(bid.attachments.all()),
            "printed": timezone.now(),
        },
    )


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
    now = timezone.now()
    for bid in page.object_list:
        bid.lapsed = bid.status != BidStatus.SUBMITTED and bid.tender.deadline_passed(now)
    return render(request, "tenders/my_bids.html", {"page": page, "now": now})
