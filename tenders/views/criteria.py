"""The award criteria builder (authority): a tender's lots, each lot's criteria tree and its
weights."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from measurement.models import Measure
from socialvalue.core.permissions import can
from socialvalue.core.web import apply_errors, require_perm
from socialvalue.definitions.selectors import adopted_definition_for
from socialvalue.kernel.limits import read_id
from socialvalue.models import Priority
from tenders import criteria as criteria_layout
from tenders import forms, reference, scoring, selectors, services
from tenders.models import Criterion, CriterionKind, Tender
from tenders.views.common import _lot_or_404, _run, _tender_or_404


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


@login_required
def lot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _lot_or_404(request, pk)
    require_perm(request, "tenders.change_tender", lot.tender)
    form = forms.LotForm(request.POST or None, initial=forms.LotForm.initial_for(lot))
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
    minimum = reference.minimum_weighting(
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
            "advice": reference.proportionality_advice(
                value=lot.estimated_value or tender.estimated_value
            ),
            "can_edit": can(request.user, "tenders.change_tender", tender),
            "price_method": scoring.PRICE_METHODS.get(tender.price_method),
        },
    )


def _priorities_and_measures(tender: Tender, priority_id=None):
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
def lot_copy_criteria(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace a draft lot's criteria with a copy of another lot's (this or another tender of
    the same authority)."""
    lot = _lot_or_404(request, pk)
    require_perm(request, "tenders.change_tender", lot.tender)
    sources = selectors.copy_sources(user=request.user, lot=lot)
    page = Paginator(sources, 50).get_page(request.GET.get("page"))
    form = forms.CopyCriteriaForm(request.POST or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        try:
            copied = services.lot_copy_criteria(
                actor=request.user, lot=lot, source=form.cleaned_data["source"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"{copied} criteria were copied from {form.cleaned_data['source']}. Check them "
                "and their weights.",
            )
            return redirect("tender-criteria", pk=lot.pk)
    return render(
        request,
        "tenders/lot_copy.html",
        {"form": form, "tender": lot.tender, "lot": lot, "page": page},
    )
