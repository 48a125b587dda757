"""The evaluation's pages: the officer's overview of each lot's panel, appointing it, the
evaluation settings and mitigations; a panel member's declaration of interests, their marking
overview and one page per bid to mark; the officer's moderation overview and one page per bid to
moderate. Every page fetches through tenders.evaluation_selectors (bids through the sealed
managers) and asks `can`; the services decide what the state allows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialvalue.core.permissions import can
from socialvalue.core.web import require_perm
from socialvalue.kernel import numbers
from tenders import evaluation_selectors as panel_selectors
from tenders import panel, services
from tenders.forms import evaluation as evaluation_forms
from tenders.models import CriterionKind, Evaluator, Lot, TenderStatus
from tenders.permissions import bid_scope, is_officer_of
from tenders.views.common import _tender_or_404

MARKING_PAGE_SIZE = 25
MODERATION_PAGE_SIZE = 10


def _lot_for_officer(request: HttpRequest, pk: int) -> Lot:
    lot = get_object_or_404(Lot.objects.select_related("tender", "tender__authority"), pk=pk)
    if not can(request.user, "tenders.view_tender", lot.tender) or not is_officer_of(
        request.user, lot.tender
    ):
        raise Http404
    return lot


def _own_appointment(request: HttpRequest, pk: int) -> Evaluator:
    """The signed-in person's own appointment (an officer's view of it is the overview)."""
    evaluator = panel_selectors.appointment_for(user=request.user, pk=pk)
    if evaluator is None or evaluator.user_id != request.user.pk:
        raise Http404
    return evaluator


# --------------------------------------------------------------------------- overview


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The tender's evaluation: for the officer every lot's panel, declarations and progress;
    for a panel member their own appointments."""
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.view_evaluation", tender)
    officer = is_officer_of(request.user, tender)
    lots = []
    if officer:
        for lot in tender.lots.order_by("number"):
            lots.append(
                {
                    "lot": lot,
                    "panel": panel_selectors.lot_panel(lot),
                    "state": panel_selectors.lot_evaluation_state(lot),
                    "criteria": panel_selectors.markable_criteria(lot),
                }
            )
    percent, basis = panel_selectors.spread_flag_percent(tender)
    return render(
        request,
        "tenders/evaluation/overview.html",
        {
            "tender": tender,
            "officer": officer,
            "lots": lots,
            "appointments": panel_selectors.appointments(user=request.user, tender=tender),
            "spread_percent": percent,
            "spread_basis": basis,
            "can_manage": can(request.user, "tenders.manage_panel", tender),
            "can_moderate": can(request.user, "tenders.moderate_marks", tender),
            "under_evaluation": tender.status == TenderStatus.UNDER_EVALUATION,
        },
    )


@login_required
def settings_page(request: HttpRequest, pk: int) -> HttpResponse:
    tender = _tender_or_404(request, pk)
    require_perm(request, "tenders.manage_panel", tender)
    percent, basis = panel_selectors.spread_flag_percent(tender)
    form = evaluation_forms.SettingsForm(
        request.POST or None, initial={"spread_flag_percent": numbers.plain(percent)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_settings_update(
                actor=request.user,
                tender=tender,
                spread_flag_percent=form.cleaned_data["spread_flag_percent"],
            )
        except ValidationError as error:
            evaluation_forms.field_errors(form, error)
        else:
            messages.success(request, "The evaluation settings were saved.")
            return redirect("evaluation-overview", pk=tender.pk)
    rule = panel.spread_rule_on(tender.created_at.date())
    return render(
        request,
        "tenders/evaluation/settings.html",
        {"form": form, "tender": tender, "basis": basis, "rule": rule},
    )


# --------------------------------------------------------------------------- the panel


@login_required
def appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """Appoint a person to the lot's panel."""
    lot = _lot_for_officer(request, pk)
    require_perm(request, "tenders.manage_panel", lot.tender)
    return _appointment_form(request, lot=lot, evaluator=None)


@login_required
def appointment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change which criteria a panel member evaluates."""
    evaluator = panel_selectors.appointment_for(user=request.user, pk=pk)
    if evaluator is None:
        raise Http404
    require_perm(request, "tenders.manage_panel", evaluator)
    return _appointment_form(request, lot=evaluator.lot, evaluator=evaluator)


def _appointment_form(request, *, lot: Lot, evaluator: Evaluator | None) -> HttpResponse:
    people = list(panel_selectors.people_who_may_evaluate(lot.tender))
    criteria = panel_selectors.assignable_criteria(lot)
    initial = {}
    if evaluator is not None:
        initial["criteria"] = list(evaluator.criteria.values_list("pk", flat=True))
    form = evaluation_forms.AppointForm(
        request.POST or None,
        initial=initial,
        people=people,
        criteria=criteria,
        fixed_user=evaluator.user if evaluator else None,
    )
    if request.method == "POST" and form.is_valid():
        user = (
            evaluator.user
            if evaluator
            else next(p for p in people if p.pk == form.cleaned_data["user"])
        )
        chosen = set(form.cleaned_data["criteria"])
        try:
            services.evaluator_appoint(
                actor=request.user,
                lot=lot,
                user=user,
                criteria=[c for c in criteria if c.pk in chosen],
            )
        except ValidationError as error:
            evaluation_forms.field_errors(form, error)
        else:
            messages.success(request, f"{user.full_name} is on the panel for {lot}.")
            return redirect("evaluation-overview", pk=lot.tender_id)
    return render(
        request,
        "tenders/evaluation/appoint.html",
        {"form": form, "tender": lot.tender, "lot": lot, "evaluator": evaluator},
    )


@login_required
@require_POST
def appointment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evaluator = panel_selectors.appointment_for(user=request.user, pk=pk)
    if evaluator is None:
        raise Http404
    require_perm(request, "tenders.manage_panel", evaluator)
    try:
        services.evaluator_remove(actor=request.user, evaluator=evaluator)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{evaluator.user.full_name} is no longer on the panel.")
    return redirect("evaluation-overview", pk=evaluator.lot.tender_id)


@login_required
def mitigate(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = panel_selectors.declaration_for(user=request.user, pk=pk)
    if declaration is None or not declaration.has_conflict:
        raise Http404
    tender = declaration.evaluator.lot.tender
    require_perm(request, "tenders.manage_panel", tender)
    form = evaluation_forms.MitigationForm(
        request.POST or None, initial={"mitigation": declaration.mitigation}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mitigation_record(
                actor=request.user,
                declaration=declaration,
                mitigation=form.cleaned_data["mitigation"],
            )
        except ValidationError as error:
            evaluation_forms.field_errors(form, error)
        else:
            messages.success(request, "The mitigation was recorded.")
            return redirect("evaluation-overview", pk=tender.pk)
    return render(
        request,
        "tenders/evaluation/mitigate.html",
        {"form": form, "tender": tender, "declaration": declaration},
    )


# --------------------------------------------------------------------------- declaring


@login_required
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel member declares, for every bidder on the lot, any conflict of interest."""
    evaluator = _own_appointment(request, pk)
    require_perm(request, "tenders.declare_interests", evaluator)
    bidders = panel_selectors.lot_bidders(evaluator.lot)
    existing = {d.bidder_id: d for d in evaluator.declarations.select_related("bidder")}
    form = evaluation_forms.DeclarationForm(
        request.POST or None, bidders=bidders, existing=existing
    )
    if request.method == "POST" and form.is_valid():
        answers = {
            pk: services.Declared(has_conflict=conflict, details=details)
            for pk, (conflict, details) in form.answers().items()
        }
        try:
            services.interests_declare(actor=request.user, evaluator=evaluator, answers=answers)
        except ValidationError as error:
            evaluation_forms.field_errors(form, error)
        else:
            messages.success(request, "Your declaration was recorded.")
            return redirect("evaluation-marking", pk=evaluator.pk)
    return render(
        request,
        "tenders/evaluation/declare.html",
        {
            "form": form,
            "tender": evaluator.lot.tender,
            "evaluator": evaluator,
            "bidders": [
                {
                    "bidder": bidder,
                    "previous": existing.get(bidder.pk),
                    "conflict": form[f"conflict_{bidder.pk}"],
                    "details": form[f"details_{bidder.pk}"],
                }
                for bidder in bidders
            ],
            "law": panel.conflict_law(),
        },
    )


# --------------------------------------------------------------------------- marking


def _marked_criteria(evaluator: Evaluator):
    mine = {c.pk for c in evaluator.criteria.all()}
    return [c for c in panel_selectors.markable_criteria(evaluator.lot) if c.pk in mine]


@login_required
def marking(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel member's progress: each bid of the lot they mark, a page at a time, with how
    many of their criteria are drafted and whether they have submitted."""
    evaluator = _own_appointment(request, pk)
    require_perm(request, "tenders.view_appointment", evaluator)
    if evaluator.declared_at is None:
        if can(request.user, "tenders.declare_interests", evaluator):
            return redirect("evaluation-declare", pk=evaluator.pk)
        raise PermissionDenied("Declare your interests once the bids are opened.")
    criteria = _marked_criteria(evaluator)
    page = Paginator(panel_selectors.bids_to_mark(evaluator=evaluator), MARKING_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    bids = list(page.object_list)
    marks = panel_selectors.own_marks(evaluator=evaluator, bids=bids)
    rows = []
    for bid in bids:
        own = [marks.get((bid.pk, c.pk)) for c in criteria]
        given = [m for m in own if m is not None and m.mark is not None]
        submitted = bool(criteria) and all(m is not None and m.is_submitted for m in own)
        rows.append({"bid": bid, "given": len(given), "submitted": submitted})
    conflicted = evaluator.declarations.filter(has_conflict=True).select_related("bidder")
    return render(
        request,
        "tenders/evaluation/marking.html",
        {
            "tender": evaluator.lot.tender,
            "evaluator": evaluator,
            "criteria": criteria,
            "rows": rows,
            "page": page,
            "conflicted": list(conflicted),
            "can_mark": can(request.user, "tenders.mark_bids", evaluator),
            "progress": panel_selectors.marking_progress(evaluator=evaluator, criteria=criteria),
        },
    )


@login_required
def mark_bid(request: HttpRequest, pk: int, bid_pk: int) -> HttpResponse:
    """One bid, with the parts of it for the panel member's criteria and a mark and
    justification for each: saved as a draft, or submitted."""
    evaluator = _own_appointment(request, pk)
    require_perm(request, "tenders.view_appointment", evaluator)
    bid = (
        panel_selectors.bids_to_mark(evaluator=evaluator)
        .filter(pk=bid_pk)
        .prefetch_related(
            "answers", "commitments__measure", "commitments__criterion", "attachments"
        )
        .first()
    )
    if bid is None:
        raise Http404
    criteria = _marked_criteria(evaluator)
    marks = {
        c: m for (b, c), m in panel_selectors.own_marks(evaluator=evaluator, bids=[bid]).items()
    }
    submitted = bool(criteria) and all(
        marks.get(c.pk) is not None and marks[c.pk].is_submitted for c in criteria
    )
    form = evaluation_forms.MarkingForm(request.POST or None, criteria=criteria, marks=marks)
    if request.method == "POST" and not submitted and form.is_valid():
        submit = request.POST.get("action") == "submit"
        typed = {
            pk: services.Typed(mark=mark, justification=justification)
            for pk, (mark, justification) in form.typed().items()
        }
        try:
            services.marks_save(
                actor=request.user, evaluator=evaluator, bid=bid, typed=typed, submit=submit
            )
        except ValidationError as error:
            evaluation_forms.field_errors(form, error)
        else:
            if submit:
                messages.success(request, f"Your marks for {bid.bidder.name} are submitted.")
                return redirect("evaluation-mark-bid", pk=evaluator.pk, bid_pk=bid.pk)
            messages.success(request, "Your draft was saved.")
            return redirect("evaluation-mark-bid", pk=evaluator.pk, bid_pk=bid.pk)
    scope = bid_scope(request.user, bid)
    answers = {a.criterion_id: a for a in bid.answers.all()}
    commitments = list(bid.commitments.all())
    attachments = list(bid.attachments.all())
    others = panel_selectors.others_marks(evaluator=evaluator, bid=bid) if submitted else {}
    sections = [
        {
            "criterion": criterion,
            "answer": answers.get(criterion.pk),
            "commitments": [
                c
                for c in commitments
                if c.criterion_id == criterion.pk
                or (c.criterion_id is None and criterion.kind == CriterionKind.SOCIAL_VALUE)
            ],
            "attachments": [a for a in attachments if a.criterion_id == criterion.pk],
            "mark_field": form[f"mark_{criterion.pk}"],
            "justification_field": form[f"justification_{criterion.pk}"],
            "own": marks.get(criterion.pk),
            "others": others.get(criterion.pk, []),
            "allowed": panel_selectors.allowed_marks(criterion),
        }
        for criterion in criteria
    ]
    return render(
        request,
        "tenders/evaluation/mark_bid.html",
        {
            "tender": evaluator.lot.tender,
            "evaluator": evaluator,
            "bid": bid,
            "form": form,
            "sections": sections,
            "scope": scope,
            "general_attachments": [a for a in attachments if a.criterion_id is None],
            "submitted": submitted,
            "can_mark": can(request.user, "tenders.mark_bids", evaluator) and not submitted,
            "next_bid": panel_selectors.next_bid_to_mark(evaluator=evaluator, after=bid),
        },
    )


# --------------------------------------------------------------------------- moderation


@login_required
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    """Every bid of the lot (a page at a time) against every marked criterion: the consensus
    where moderated, else whether it waits for marks, is ready, or has a flagged spread."""
    lot = _lot_for_officer(request, pk)
    require_perm(request, "tenders.view_evaluation", lot.tender)
    criteria = panel_selectors.markable_criteria(lot)
    percent, _basis = panel_selectors.spread_flag_percent(lot.tender)
    page = Paginator(
        panel_selectors.moderation_bids(user=request.user, lot=lot), MODERATION_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    bids = list(page.object_list)
    items = panel_selectors.moderation_items(lot=lot, bids=bids, criteria=criteria, percent=percent)
    by_bid: dict[int, list] = {bid.pk: [] for bid in bids}
    for item in items:
        by_bid[item.bid.pk].append(item)
    return render(
        request,
        "tenders/evaluation/moderation.html",
        {
            "tender": lot.tender,
            "lot": lot,
            "criteria": criteria,
            "rows": [{"bid": bid, "items": by_bid[bid.pk]} for bid in bids],
            "page": page,
            "percent": percent,
            "state": panel_selectors.lot_evaluation_state(lot),
        },
    )


@login_required
def moderate_bid(request: HttpRequest, pk: int) -> HttpResponse:
    """One bid: per criterion the individual marks and justifications beside the consensus mark,
    rationale and (for a flagged spread) the moderation note."""
    bid_row = panel_selectors.bid_to_moderate(user=request.user, pk=pk)
    if bid_row is None:
        raise Http404
    lot = bid_row.lot
    require_perm(request, "tenders.view_evaluation", lot.tender)
    criteria = panel_selectors.markable_criteria(lot)
    percent, _basis = panel_selectors.spread_flag_percent(lot.tender)
    items = panel_selectors.moderation_items(
        lot=lot, bids=[bid_row], criteria=criteria, percent=percent
    )
    consensus = {item.criterion.pk: item.consensus for item in items if item.consensus}
    form = evaluation_forms.ModerationForm(
        request.POST or None, criteria=criteria, consensus=consensus
    )
    may_moderate = can(request.user, "tenders.moderate_marks", lot.tender)
    if request.method == "POST" and may_moderate and form.is_valid():
        typed = {pk: services.Consensus(**parts) for pk, parts in form.typed().items()}
        try:
            saved = services.moderation_save(actor=request.user, bid=bid_row, typed=typed)
        except ValidationError as error:
            evaluation_forms.field_errors(form, error)
        else:
            messages.success(
                request,
                f"{len(saved)} consensus mark{'s' if len(saved) != 1 else ''} recorded."
                if saved
                else "Nothing was changed.",
            )
            return redirect(reverse("evaluation-moderate-bid", args=[bid_row.pk]))
    sections = [
        {
            "item": item,
            "mark_field": form[f"mark_{item.criterion.pk}"],
            "rationale_field": form[f"rationale_{item.criterion.pk}"],
            "note_field": form[f"note_{item.criterion.pk}"],
            "reason_field": form[f"reason_{item.criterion.pk}"]
            if f"reason_{item.criterion.pk}" in form.fields
            else None,
        }
        for item in items
    ]
    return render(
        request,
        "tenders/evaluation/moderate_bid.html",
        {
            "tender": lot.tender,
            "lot": lot,
            "bid": bid_row,
            "form": form,
            "sections": sections,
            "percent": percent,
            "may_moderate": may_moderate,
            "next_bid": panel_selectors.next_bid_to_moderate(user=request.user, bid=bid_row),
        },
    )
