"""The pages for delivery at risk: the authority records a remedy (and later its outcome) or a
performance failure, and accepts together the lines of a return outside its sample check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from measurement.delivery import schedule, services
from measurement.delivery.forms import (
    AcceptUnsampledForm,
    PerformanceFailureForm,
    RemedyForm,
    RemedyOutcomeForm,
)
from measurement.delivery.models import (
    DeliveryReturn,
    LineStatus,
    Remedy,
    RemedyOutcome,
    ReturnStatus,
)
from measurement.delivery.views import _contract
from socialvalue.core.web import apply_errors, require_perm


def _chosen_commitment(contract, form):
    """The commitment picked in the form (None for the whole contract)."""
    picked = form.cleaned_data.get("commitment")
    if not picked:
        return None
    return next((c for c in contract.commitments.all() if str(c.pk) == picked), None)


def _form_page(request, *, form, contract, title: str, intro: str, submit: str) -> HttpResponse:
    return render(
        request,
        "delivery/form.html",
        {
            "form": form,
            "title": title,
            "caption": str(contract),
            "intro": intro,
            "back": reverse("delivery-contract", args=[contract.pk]),
            "submit_label": submit,
        },
    )


@login_required
def remedy_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a remedy agreed with the supplier for delivery at risk."""
    contract = _contract(request, pk)
    require_perm(request, "delivery.record_remedy", contract)
    commitments = list(contract.commitments.select_related("measure").order_by("pk"))
    form = RemedyForm(request.POST or None, commitments=commitments)
    if request.method == "POST" and form.is_valid():
        try:
            services.remedy_record(
                actor=request.user,
                contract=contract,
                commitment=_chosen_commitment(contract, form),
                agreed=form.cleaned_data["agreed"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The remedy is recorded.")
            return redirect(reverse("delivery-contract", args=[contract.pk]) + "#remedies")
    return _form_page(
        request,
        form=form,
        contract=contract,
        title="Record a remedy",
        intro="What you agreed with the supplier to bring delivery at risk back on track, and "
        "by when. Record the outcome once the date has come. The supplier sees the remedy on "
        "its page of this contract.",
        submit="Record the remedy",
    )


@login_required
def remedy_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record whether an open remedy was met."""
    remedy = get_object_or_404(Remedy.objects.select_related("contract"), pk=pk)
    contract = _contract(request, remedy.contract_id)
    require_perm(request, "delivery.record_remedy", contract)
    if remedy.outcome != RemedyOutcome.OPEN:
        messages.error(request, "This remedy's outcome is already recorded.")
        return redirect(reverse("delivery-contract", args=[contract.pk]) + "#remedies")
    form = RemedyOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remedy_outcome_record(
                actor=request.user,
                remedy=remedy,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["outcome_note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The remedy's outcome is recorded.")
            return redirect(reverse("delivery-contract", args=[contract.pk]) + "#remedies")
    return _form_page(
        request,
        form=form,
        contract=contract,
        title="Record the remedy's outcome",
        intro=f"Agreed: {remedy.agreed} (to be done by {remedy.due_on:%-d %B %Y}).",
        submit="Record the outcome",
    )


@login_required
def failure_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a performance failure with the UK OCDS extension's fields."""
    contract = _contract(request, pk)
    require_perm(request, "delivery.record_performance_failure", contract)
    commitments = list(contract.commitments.select_related("measure").order_by("pk"))
    penalty_types, _ = schedule.load_penalty_types()
    form = PerformanceFailureForm(
        request.POST or None, commitments=commitments, penalty_types=penalty_types
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.performance_failure_record(
                actor=request.user,
                contract=contract,
                commitment=_chosen_commitment(contract, form),
                requirement=data["requirement"],
                description=data["description"],
                decision_date=data["decision_date"],
                penalty_date=data["penalty_date"],
                penalty_type=data["penalty_type"],
                penalty_type_entered=data["penalty_type_entered"],
                penalty_amount=data["penalty_amount"],
                partial_termination=data["partial_termination"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The performance failure is recorded.")
            return redirect(reverse("delivery-contract", args=[contract.pk]) + "#failures")
    return _form_page(
        request,
        form=form,
        contract=contract,
        title="Record a performance failure",
        intro="The fields of a performance failure in the UK's Open Contracting Data Standard "
        "extension (Cabinet Office). Penalty types are its closed list. The supplier sees the "
        "failure on its page of this contract.",
        submit="Record the performance failure",
    )


@login_required
def accept_unsampled(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept together the lines of a sent return outside its sample check, with a note."""
    delivery_return = get_object_or_404(
        DeliveryReturn.objects.select_related("period"), pk=pk, status=ReturnStatus.SUBMITTED
    )
    contract = _contract(request, delivery_return.period.contract_id)
    require_perm(request, "delivery.accept_unsampled_lines", contract)
    lines = list(
        delivery_return.lines.filter(status=LineStatus.PENDING, sample_check=False)
        .select_related("commitment__measure")
        .order_by("pk")
    )
    form = AcceptUnsampledForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lines_accept_unsampled(
                actor=request.user, delivery_return=delivery_return, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{len(lines)} lines accepted together.")
            return redirect("delivery-return", pk=delivery_return.period_id)
    return render(
        request,
        "delivery/accept_others.html",
        {
            "form": form,
            "contract": contract,
            "period": delivery_return.period,
            "lines": lines,
        },
    )
