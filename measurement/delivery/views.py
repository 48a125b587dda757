"""The delivery pages: a contract's social value, the supplier's returns and evidence
library, and verification (the authority's totals across contracts: totals_views.py)."""

from __future__ import annotations

from decimal import Decimal

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from measurement.delivery import selectors, services
from measurement.delivery.forms import (
    AnswerForm,
    AssumptionsForm,
    DecisionForm,
    EvidenceForm,
    ReturnForm,
    line_prefix,
)
from measurement.delivery.models import (
    DeliveryReturn,
    EvidenceItem,
    ReportingPeriod,
    ReturnLine,
    ReturnStatus,
)
from measurement.delivery.permissions import SUPPLIER_ROLES
from socialvalue.core import charts
from socialvalue.core.permissions import can, organisations_with_role
from socialvalue.core.web import apply_errors, require_perm
from tenders.models import Contract

PAGE_SIZE = 25


def _contract(request: HttpRequest, pk: int) -> Contract:
    """The contract, or 404 for anyone who may not follow it (they may not know it exists)."""
    contract = get_object_or_404(
        Contract.objects.select_related("tender__authority", "supplier", "lot"), pk=pk
    )
    if not can(request.user, "delivery.view_delivery", contract):
        raise Http404
    return contract


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The contracts the person follows, and (for a supplier) the returns due."""
    require_perm(request, "delivery.follow_contracts")
    page = Paginator(selectors.contracts_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    due = list(selectors.returns_due(request.user)[:50])
    return render(
        request,
        "delivery/index.html",
        {"page": page, "due": due, "today": timezone.localdate()},
    )


@login_required
def contract_page(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    figures = selectors.contract_figures(contract)
    return render(
        request,
        "delivery/contract.html",
        {
            "contract": contract,
            "figures": figures,
            "may_manage": can(request.user, "delivery.manage_delivery", contract),
            "may_report": can(request.user, "delivery.report_delivery", contract),
            "may_record": can(request.user, "delivery.record_remedy", contract),
            "follow_up": selectors.follow_up(contract),
        },
    )


@login_required
@csp_update({"style-src": [UNSAFE_INLINE]})
def contract_chart(request: HttpRequest, pk: int) -> HttpResponse:
    """Committed against delivered per commitment, as an SVG image (no script)."""
    contract = _contract(request, pk)
    rows = selectors.contract_figures(contract).commitments
    svg = charts.stacked_bars(
        title=f"Delivered against committed: {contract}",
        categories=[
            f"{row.commitment.measure.code} ({row.commitment.measure.unit})" for row in rows
        ],
        series=[
            charts.Series("Delivered (accepted)", [row.delivered for row in rows]),
            charts.Series(
                "Still to deliver",
                [max(row.committed - row.delivered, Decimal(0)) for row in rows],
            ),
        ],
        unit="Quantity in each measure's unit",
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def schedule_create(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    require_perm(request, "delivery.manage_delivery", contract)
    try:
        services.schedule_create(actor=request.user, contract=contract)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The social value schedule is set up.")
    return redirect("delivery-contract", pk=contract.pk)


@login_required
def assumptions(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    require_perm(request, "delivery.manage_delivery", contract)
    delivery = getattr(contract, "delivery_schedule", None)
    if delivery is None:
        raise Http404
    initial = {
        name: getattr(delivery, name)
        for name in (
            "deadweight",
            "attribution",
            "displacement",
            "drop_off",
            "duration_years",
            "include_unconfirmed",
        )
    }
    form = AssumptionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assumptions_set(actor=request.user, contract=contract, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The net assumptions are saved.")
            return redirect("delivery-contract", pk=contract.pk)
    return render(
        request,
        "delivery/form.html",
        {
            "form": form,
            "title": "Net assumptions for this contract",
            "caption": str(contract),
            "intro": "The same for every commitment of the contract, as they were for every bid. "
            "Net value is gross x (1 - deadweight) x (1 - attribution) x (1 - displacement), "
            "falling by the drop-off each later year, discounted at the Green Book rate.",
            "back": contract_url(contract),
            "submit_label": "Save the assumptions",
        },
    )


def contract_url(contract: Contract) -> str:
    from django.urls import reverse

    return reverse("delivery-contract", args=[contract.pk])


def _period(request: HttpRequest, pk: int) -> ReportingPeriod:
    period = get_object_or_404(
        ReportingPeriod.objects.select_related("contract__tender__authority", "contract__supplier"),
        pk=pk,
    )
    if not can(request.user, "delivery.view_delivery", period.contract):
        raise Http404
    return period


@login_required
def return_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The return for a period: the supplier's form until it is sent; then its lines, with
    the authority's decisions and the supplier's answers."""
    period = _period(request, pk)
    contract = period.contract
    sent = DeliveryReturn.objects.filter(period=period, status=ReturnStatus.SUBMITTED).first()
    if sent is not None:
        lines = list(
            ReturnLine.objects.filter(delivery_return=sent)
            .select_related("commitment__measure")
            .prefetch_related("evidence", "queries")
            .order_by("commitment_id")
        )
        for line in lines:  # one form per line, each with its own ids
            line.decision_form = DecisionForm(prefix=line_prefix(line.pk))
            line.answer_form = AnswerForm(prefix=line_prefix(line.pk))
        return render(
            request,
            "delivery/return.html",
            {
                "period": period,
                "contract": contract,
                "delivery_return": sent,
                "lines": lines,
                "may_verify": can(request.user, "delivery.verify_delivery", contract),
                "may_report": can(request.user, "delivery.report_delivery", contract),
                "unsampled_pending": sent.lines.filter(
                    status="pending", sample_check=False
                ).exists(),
            },
        )
    require_perm(request, "delivery.report_delivery", contract)
    commitments = list(contract.commitments.select_related("measure").order_by("pk"))
    evidence = EvidenceItem.objects.filter(supplier_id=contract.supplier_id).order_by(
        "-uploaded_at"
    )[:200]
    draft = DeliveryReturn.objects.filter(period=period).first()
    initial = {}
    if draft is not None:
        for line in draft.lines.prefetch_related("evidence"):
            initial[f"quantity_{line.commitment_id}"] = line.quantity
            initial[f"note_{line.commitment_id}"] = line.variance_note
            initial[f"evidence_{line.commitment_id}"] = [e.pk for e in line.evidence.all()]
    form = ReturnForm(
        request.POST or None, initial=initial, commitments=commitments, evidence=evidence
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lines = {
            c.pk: services.LineInput(
                quantity=data.get(f"quantity_{c.pk}", ""),
                variance_note=data.get(f"note_{c.pk}", ""),
                evidence_ids=data.get(f"evidence_{c.pk}", []),
            )
            for c in commitments
        }
        submit = "send" in request.POST
        try:
            services.return_save(actor=request.user, period=period, lines=lines, submit=submit)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, "Your return is sent for checking." if submit else "Your draft is saved."
            )
            return redirect("delivery-return", pk=period.pk)
    return render(
        request,
        "delivery/return_form.html",
        {
            "form": form,
            "period": period,
            "contract": contract,
            "targets": {t.commitment_id: t.quantity for t in period.targets.all()},
        },
    )


def _line(request: HttpRequest, pk: int) -> ReturnLine:
    line = get_object_or_404(
        ReturnLine.objects.select_related(
            "delivery_return__period__contract__tender__authority",
            "delivery_return__period__contract__supplier",
        ),
        pk=pk,
    )
    if not can(request.user, "delivery.view_delivery", line.delivery_return.period.contract):
        raise Http404
    return line


@login_required
@require_POST
def line_decide(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    period = line.delivery_return.period
    require_perm(request, "delivery.verify_delivery", period.contract)
    form = DecisionForm(request.POST, prefix=line_prefix(line.pk))
    if form.is_valid():
        try:
            services.line_decide(
                actor=request.user,
                line=line,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        for message in _messages_of(form):
            messages.error(request, f"{line.commitment.measure.code}: {message}")
    else:
        messages.success(request, f"{line.commitment.measure.code}: decision recorded.")
    return redirect("delivery-return", pk=period.pk)


@login_required
@require_POST
def query_answer(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    period = line.delivery_return.period
    require_perm(request, "delivery.report_delivery", period.contract)
    form = AnswerForm(request.POST, prefix=line_prefix(line.pk))
    if form.is_valid():
        try:
            services.query_answer(actor=request.user, line=line, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        for message in _messages_of(form):
            messages.error(request, f"{line.commitment.measure.code}: {message}")
    else:
        messages.success(request, f"{line.commitment.measure.code}: your answer is sent.")
    return redirect("delivery-return", pk=period.pk)


def _messages_of(form) -> list[str]:
    return [str(m) for errors in form.errors.values() for m in errors]


@login_required
def evidence_library(request: HttpRequest) -> HttpResponse:
    """The supplier's evidence library: files kept once, chosen in any return."""
    suppliers = sorted(organisations_with_role(request.user, *SUPPLIER_ROLES))
    if not suppliers:
        raise Http404
    from socialvalue.core.models import Organisation

    supplier = Organisation.objects.get(pk=suppliers[0])
    require_perm(request, "delivery.keep_evidence", supplier)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_add(
                actor=request.user,
                supplier=supplier,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The file is in your evidence library.")
            return redirect("delivery-evidence")
    page = Paginator(
        EvidenceItem.objects.filter(supplier=supplier).order_by("-uploaded_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "delivery/evidence.html",
        {"form": form, "page": page, "supplier": supplier},
    )
