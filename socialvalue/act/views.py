"""Pages of the Social Value Act check under /act/: planned contracts, the check, the record.

Flow: list -> add a planned contract -> check form -> answer with the consideration form ->
recorded check (frozen). The answer is computed again when the consideration is saved, from the
signed inputs the result page carried, so nothing is stored until the commissioner records it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialvalue.act import hooks, selectors, services
from socialvalue.act.engine import ActInputError, inputs_from_dict
from socialvalue.act.forms import (
    ActCheckForm,
    ConsiderationForm,
    PlannedContractForm,
    initial_from_inputs,
)
from socialvalue.act.interface import inputs_as_data
from socialvalue.act.models import PlannedContract
from socialvalue.act.presentation import present_answer, present_inputs
from socialvalue.core.web import require_perm

TOKEN_SALT = "socialvalue.act-check"
TOKEN_MAX_AGE = 60 * 60 * 24  # a day: long enough to write a consideration, short enough to expire

PAGE_SIZE = 25  # planned contracts a page of the Act checks list


# --- helpers ---


def _contract(request: HttpRequest, pk: int, permission: str) -> PlannedContract:
    contract = selectors.planned_contract_get(pk=pk)
    if contract is None:
        raise Http404("No such planned contract.")
    require_perm(request, permission, contract)
    return contract


def _sign(inputs_data: dict) -> str:
    return signing.dumps(inputs_data, salt=TOKEN_SALT, compress=True)


def _unsign(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None


def _render_result(
    request: HttpRequest, contract: PlannedContract, inputs, form: ConsiderationForm | None = None
) -> HttpResponse:
    answer = services.run_check(inputs)
    inputs_data = inputs_as_data(inputs)
    token = _sign(inputs_data)
    required = services.consideration_requirements(answer, inputs)
    if form is None:
        form = ConsiderationForm(
            initial={"check_token": token},
            required=required,
            priorities=services.available_priorities(authority=contract.authority),
        )
    return render(
        request,
        "socialvalue/act/result.html",
        {
            "contract": contract,
            "answer": present_answer(answer.to_dict()),
            "inputs": present_inputs(inputs_data),
            "form": form,
            "token": token,
            "duty": required["wellbeing_improvement"],
            "record_url": reverse("act-record", args=[contract.pk]),
        },
    )


# --- pages ---


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "socialvalue.use_act_check")
    contracts = selectors.planned_contracts_visible_to(user=request.user)
    page = Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "socialvalue/act/list.html", {"page": page})


@login_required
def contract_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, "socialvalue.use_act_check")
    authorities = selectors.act_authorities_for(user=request.user)
    if not authorities:
        raise PermissionDenied
    form = PlannedContractForm(request.POST or None, authorities=authorities)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.planned_contract_create(
                actor=request.user,
                authority=form.cleaned_data["authority"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{contract.title} was added. Now check it against the Act.")
            return redirect("act-check", pk=contract.pk)
    return render(request, "socialvalue/act/contract_form.html", {"form": form})


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk, "socialvalue.view_planned_contract")
    assessments = list(selectors.assessments_for(planned_contract=contract))
    rows = [(record, present_answer(record.result)) for record in assessments]
    return render(
        request,
        "socialvalue/act/contract.html",
        {
            "contract": contract,
            "assessments": rows,
            "links": hooks.links_for(contract, request.user),
        },
    )


@login_required
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """The check form; a valid answer renders the result page with the consideration form."""
    contract = _contract(request, pk, "socialvalue.record_act_assessment")
    rules = services.act_rules()
    if request.method == "POST" and "change" in request.POST:
        data = _unsign(request.POST.get("check_token", ""))
        initial = initial_from_inputs(data) if data else {}
        form = ActCheckForm(initial=initial, rules=rules)
    elif request.method == "POST":
        form = ActCheckForm(request.POST, rules=rules)
        if form.is_valid():
            return _render_result(request, contract, form.cleaned_data["inputs"])
    else:
        latest = selectors.latest_assessment_for(planned_contract=contract)
        if latest is not None:
            initial = initial_from_inputs(latest.inputs)
        else:
            initial = {
                "authority_type": contract.authority.authority_type,
                "nation": contract.authority.nation,
                "vat_basis": "inclusive",
                "urgent": "no",
            }
        form = ActCheckForm(initial=initial, rules=rules)
    return render(request, "socialvalue/act/check.html", {"contract": contract, "form": form})


@login_required
@require_POST
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the consideration with the check, frozen; errors re-show the answer and the form."""
    contract = _contract(request, pk, "socialvalue.record_act_assessment")
    data = _unsign(request.POST.get("check_token", ""))
    try:
        inputs = inputs_from_dict(data) if data else None
    except ActInputError:
        inputs = None
    if inputs is None:
        messages.error(
            request, "That check has expired or was changed. Answer the questions again."
        )
        return redirect("act-check", pk=contract.pk)
    answer = services.run_check(inputs)
    form = ConsiderationForm(
        request.POST,
        required=services.consideration_requirements(answer, inputs),
        priorities=services.available_priorities(authority=contract.authority),
    )
    if form.is_valid():
        try:
            saved = services.act_assessment_record(
                actor=request.user, planned_contract=contract, inputs=inputs, **form.consideration()
            )
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, "The check and your consideration were recorded.")
            return redirect("act-assessment", pk=saved.pk)
    return _render_result(request, contract, inputs, form=form)


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A recorded check exactly as answered then: nothing here is recomputed."""
    saved = selectors.assessment_get(pk=pk)
    if saved is None:
        raise Http404("No such check.")
    require_perm(request, "socialvalue.view_act_assessment", saved.planned_contract)
    return render(
        request,
        "socialvalue/act/assessment.html",
        {
            "record": saved,
            "contract": saved.planned_contract,
            "answer": present_answer(saved.result),
            "inputs": present_inputs(saved.inputs),
            "links": hooks.links_for(saved.planned_contract, request.user),
        },
    )
