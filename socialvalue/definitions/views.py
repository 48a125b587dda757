"""Pages for local social value definitions: drafting, review, adoption, versions, priorities,
and the public market statement. Thin: reads go through definition_selectors, changes through
definition_services."""

import functools
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from measurement import selectors as measure_selectors
from socialvalue.core.models import Organisation, OrganisationKind
from socialvalue.core.permissions import can
from socialvalue.core.public_cache import cache_for_signed_out
from socialvalue.core.web import apply_errors, refuse, require_perm
from socialvalue.definitions import hooks, reports, selectors, services
from socialvalue.definitions.forms import (
    AdoptForm,
    ContractValueForm,
    DefinitionForm,
    PriorityForm,
    PriorityMeasuresForm,
    ReturnForm,
    TargetForm,
)
from socialvalue.definitions.models import (
    DefinitionStatus,
    LocalDefinition,
    Priority,
    PriorityMeasure,
)

THEME_LABELS = dict(Priority._meta.get_field("theme").choices)

PAGE_SIZE = 25  # definition versions a page of the list


def _readable(request: HttpRequest, pk: int) -> LocalDefinition:
    definition = selectors.definition_with_content(pk)
    if definition is None:
        raise Http404
    require_perm(request, "socialvalue.view_definition", definition)
    return definition


def _changeable(request: HttpRequest, pk: int) -> LocalDefinition:
    definition = _readable(request, pk)
    require_perm(request, "socialvalue.change_definition", definition)
    return definition


def _draft_only(request: HttpRequest, definition: LocalDefinition) -> HttpResponse | None:
    """None for a draft; otherwise back to the definition, saying why it cannot change."""
    if definition.status != DefinitionStatus.DRAFT:
        refuse(request, ValidationError(services.NOT_EDITABLE[definition.status]))
        return redirect(definition)
    return None


def _proxies_for(definitions_priorities) -> dict:
    measure_ids = {link.measure_id for p in definitions_priorities for link in p.measures.all()}
    return measure_selectors.proxies_in_force(measures=measure_ids, on_date=selectors.today())


def _attach_proxies(priorities, proxies) -> None:
    for priority in priorities:
        for link in priority.measures.all():
            link.proxy_today = proxies.get(link.measure_id)


def _proportionality(request: HttpRequest) -> dict:
    """The value bands in force, and a suggestion for a contract value typed in (GET)."""
    form = ContractValueForm(request.GET if "contract_value" in request.GET else None)
    suggestion = None
    if form.is_bound and form.is_valid():
        suggestion = measure_selectors.proportionality_for(
            contract_value=form.cleaned_data["contract_value"]
        )
    return {
        "value_form": form,
        "suggestion": suggestion,
        "rules": measure_selectors.proportionality_rules(),
    }


@login_required
def definition_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "socialvalue.use_definitions")
    page = Paginator(selectors.definitions_visible_to(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    groups: dict[int, dict] = {}
    for definition in page.object_list:
        group = groups.setdefault(definition.owner_id, {"owner": definition.owner, "versions": []})
        group["versions"].append(definition)
    return render(
        request,
        "socialvalue/definitions/list.html",
        {
            # The selector sorts by owner name; a page holds its owners' versions in that order.
            "groups": list(groups.values()),
            "page": page,
            "can_add": can(request.user, "socialvalue.add_definition"),
        },
    )


@login_required
def definition_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "socialvalue.add_definition")
    owners = selectors.authoring_organisations_for(user=request.user)
    form = DefinitionForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            definition = services.definition_create(
                actor=request.user,
                owner=data["owner"],
                title=data["title"],
                statement=data["statement"],
                authorities=list(data.get("authorities") or []),
                review_group=data.get("review_group"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if definition.replaces_id or definition.priorities.exists():
                messages.success(
                    request,
                    "Draft started as a copy of the adopted definition's priorities, "
                    "measures and targets: change what needs changing. Adopting it replaces "
                    "the adopted definition.",
                )
            else:
                messages.success(request, "Draft started. Now add the priorities.")
            return redirect(definition)
    adopted = [
        (owner, found)
        for owner in owners
        if (found := services.adopted_own_definition(owner)) is not None
    ]
    return render(
        request,
        "socialvalue/definitions/form.html",
        {"form": form, "creating": True, "adopted": adopted},
    )


@login_required
def definition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _readable(request, pk)
    priorities = list(definition.priorities.all())
    _attach_proxies(priorities, _proxies_for(priorities))
    can_change = can(request.user, "socialvalue.change_definition", definition)
    history = selectors.version_history(definition)
    trail = selectors.definition_trail(history)
    for entry in trail:
        # The audit trail stores dates as ISO text; show them as the rest of the page does.
        if entry.data.get("effective_from"):
            entry.effective_from = date.fromisoformat(str(entry.data["effective_from"]))
    measure_count = sum(len(p.measures.all()) for p in priorities)
    context = {
        "definition": definition,
        "priorities": priorities,
        "history": history,
        "trail": trail,
        "can_change": can_change,
        "can_adopt": can(request.user, "socialvalue.adopt_definition", definition),
        "can_edit_priorities": can_change and definition.status == DefinitionStatus.DRAFT,
        "measure_count": measure_count,
        # Drafts show them as next steps; versions in review as what stops adoption.
        "problems": services.adoption_problems(definition)
        if definition.status in (DefinitionStatus.DRAFT, DefinitionStatus.IN_REVIEW)
        else [],
        "following": next((v for v in history if v.replaces_id == definition.pk), None),
        "replacing": selectors.replacement_changes(definition),
        "review_due": definition.review_due(selectors.today()),
        # Features above definitions (the Compact's review) add their links here.
        "feature_links": [
            link for extend in hooks.page_links for link in extend(definition, request.user)
        ],
        **_proportionality(request),
    }
    return render(request, "socialvalue/definitions/detail.html", context)


@login_required
def definition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _changeable(request, pk)
    refused = _draft_only(request, definition)
    if refused:
        return refused
    initial = {
        "title": definition.title,
        "statement": definition.statement,
        "authorities": list(definition.authorities.all()),
        "review_group": definition.review_group,
    }
    form = DefinitionForm(request.POST or None, initial=initial, definition=definition)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.definition_update(
                actor=request.user,
                definition=definition,
                title=data["title"],
                statement=data["statement"],
                authorities=list(data.get("authorities") or []),
                review_group=data.get("review_group"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect(definition)
    return render(
        request, "socialvalue/definitions/form.html", {"form": form, "definition": definition}
    )


@login_required
@require_POST
def definition_submit(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _changeable(request, pk)
    try:
        services.definition_submit(actor=request.user, definition=definition)
    except ValidationError as error:
        refuse(request, error)
    else:
        group = definition.review_group
        messages.success(
            request,
            "Submitted for review."
            + (f" Members of {group.name} can now read it." if group else ""),
        )
    return redirect(definition)


@login_required
def definition_return(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _changeable(request, pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.definition_return_to_draft(
                actor=request.user, definition=definition, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, "Returned to draft: you can change it now.")
        return redirect(definition)
    return render(
        request, "socialvalue/definitions/return.html", {"form": form, "definition": definition}
    )


@login_required
def definition_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _changeable(request, pk)
    require_perm(request, "socialvalue.adopt_definition", definition)
    if definition.status != DefinitionStatus.IN_REVIEW:
        refuse(request, ValidationError(services.CANNOT_ADOPT[definition.status]))
        return redirect(definition)
    problems = services.adoption_problems(definition)
    form = AdoptForm(request.POST or None)
    if request.method == "POST" and not problems and form.is_valid():
        try:
            services.definition_adopt(
                actor=request.user,
                definition=definition,
                effective_from=form.cleaned_data["effective_from"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_errors(form, error)
            else:
                refuse(request, error)
                return redirect(definition)
        else:
            messages.success(request, f"Version {definition.version} is adopted and published.")
            return redirect(definition)
    return render(
        request,
        "socialvalue/definitions/adopt.html",
        {
            "form": form,
            "definition": definition,
            "problems": problems,
            "superseding": services.versions_superseded_by(definition),
            "replacing": selectors.replacement_changes(definition),
            "notes": [note for extend in hooks.adoption_notes for note in extend(definition)],
        },
    )


@login_required
@require_POST
def definition_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _changeable(request, pk)
    try:
        copy = services.definition_new_version(actor=request.user, definition=definition)
    except ValidationError as error:
        refuse(request, error)
        return redirect(definition)
    messages.success(
        request,
        f"Version {copy.version} started as a copy of version {definition.version}. "
        f"Version {definition.version} stays as it is until this one is adopted.",
    )
    return redirect(copy)


# --- priorities -------------------------------------------------------------------------------


def _priority(request: HttpRequest, pk: int, *, change: bool) -> tuple[Priority, LocalDefinition]:
    priority = get_object_or_404(Priority.objects.only("pk", "definition_id"), pk=pk)
    definition = (_changeable if change else _readable)(request, priority.definition_id)
    # The prefetched copy carries its measures.
    priority = next(p for p in definition.priorities.all() if p.pk == priority.pk)
    return priority, definition


def _on_a_draft_priority(view):
    """Open ``view(request, priority, definition)`` on a priority the user may change, or send
    them back to its definition, saying why, when the version is no longer a draft."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
        priority, definition = _priority(request, pk, change=True)
        return _draft_only(request, definition) or view(request, priority, definition)

    return wrapper


@login_required
def priority_add(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _changeable(request, pk)
    refused = _draft_only(request, definition)
    if refused:
        return refused
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.priority_add(
                actor=request.user, definition=definition, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Priority added. Now choose its measures.")
            return redirect("definition-priority-measures", priority.pk)
    return render(
        request,
        "socialvalue/definitions/priority_form.html",
        {"form": form, "definition": definition},
    )


@login_required
def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    priority, definition = _priority(request, pk, change=False)
    _attach_proxies([priority], _proxies_for([priority]))
    return render(
        request,
        "socialvalue/definitions/priority.html",
        {
            "priority": priority,
            "definition": definition,
            "can_change": can(request.user, "socialvalue.change_definition", definition)
            and definition.status == DefinitionStatus.DRAFT,
            **_proportionality(request),
        },
    )


@login_required
@_on_a_draft_priority
def priority_edit(
    request: HttpRequest, priority: Priority, definition: LocalDefinition
) -> HttpResponse:
    form = PriorityForm(
        request.POST or None,
        initial={
            "theme": priority.theme,
            "outcome": priority.outcome,
            "description": priority.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_update(actor=request.user, priority=priority, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Priority changed.")
            return redirect("definition-priority", priority.pk)
    return render(
        request,
        "socialvalue/definitions/priority_form.html",
        {"form": form, "definition": definition, "priority": priority},
    )


@login_required
@_on_a_draft_priority
def priority_remove(
    request: HttpRequest, priority: Priority, definition: LocalDefinition
) -> HttpResponse:
    if request.method == "POST":
        try:
            services.priority_remove(actor=request.user, priority=priority)
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, f"Priority '{priority.outcome}' removed.")
        return redirect(definition)
    return render(
        request,
        "socialvalue/definitions/priority_remove.html",
        {"priority": priority, "definition": definition},
    )


@login_required
@require_POST
def priority_move(request: HttpRequest, pk: int) -> HttpResponse:
    priority, definition = _priority(request, pk, change=True)
    try:
        services.priority_move(
            actor=request.user, priority=priority, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        refuse(request, error)
    return redirect(f"{definition.get_absolute_url()}#priorities")


@login_required
@_on_a_draft_priority
def priority_measures(
    request: HttpRequest, priority: Priority, definition: LocalDefinition
) -> HttpResponse:
    chosen_ids = {link.measure_id for link in priority.measures.all()}
    show_all = request.GET.get("themes") == "all"
    candidates = [
        m
        for m in measure_selectors.measures(theme="" if show_all else priority.theme)
        if m.is_active or m.pk in chosen_ids
    ]
    if not show_all:
        # Keep measures already chosen from another theme on the list, so saving keeps them.
        known = {m.pk for m in candidates}
        candidates += [
            link.measure for link in priority.measures.all() if link.measure_id not in known
        ]
    form = PriorityMeasuresForm(
        request.POST or None,
        measures=candidates,
        initial={"measures": [str(pk) for pk in chosen_ids]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_set_measures(
                actor=request.user, priority=priority, measures=form.chosen()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Measures saved. Add targets where you have them.")
            return redirect("definition-priority", priority.pk)
    return render(
        request,
        "socialvalue/definitions/priority_measures.html",
        {
            "form": form,
            "priority": priority,
            "definition": definition,
            "show_all": show_all,
            "theme_label": THEME_LABELS.get(priority.theme, priority.theme),
        },
    )


@login_required
def priority_target(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(PriorityMeasure.objects.only("pk", "priority_id"), pk=pk)
    priority, definition = _priority(request, link.priority_id, change=True)
    refused = _draft_only(request, definition)
    if refused:
        return refused
    link = next(item for item in priority.measures.all() if item.pk == link.pk)
    form = TargetForm(
        request.POST or None,
        initial={"target_quantity": link.target_quantity, "target_text": link.target_text},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_measure_set_target(actor=request.user, link=link, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Target saved for {link.measure.code}.")
            return redirect("definition-priority", priority.pk)
    return render(
        request,
        "socialvalue/definitions/target.html",
        {"form": form, "link": link, "priority": priority, "definition": definition},
    )


# --- public market statement ------------------------------------------------------------------


@cache_for_signed_out
def market_index(request: HttpRequest) -> HttpResponse:
    """Public: the authorities with an adopted local definition."""
    return render(
        request,
        "socialvalue/definitions/market_index.html",
        {"authorities": selectors.authorities_with_adopted_definitions()},
    )


@cache_for_signed_out
def market_statement(request: HttpRequest, slug: str, printable: bool = False) -> HttpResponse:
    """Public: an authority's adopted priorities and measures, for bidders to prepare."""
    authority = get_object_or_404(Organisation, slug=slug, kind=OrganisationKind.AUTHORITY)
    if printable:
        return render(
            request,
            "socialvalue/definitions/market_print.html",
            reports.market_statement_context(authority),
        )
    links = [link for extend in hooks.public_links for link in extend(authority)]
    return render(
        request,
        "socialvalue/definitions/market.html",
        {**reports.market_statement_context(authority), "public_links": links},
    )


def market_statement_print(request: HttpRequest, slug: str) -> HttpResponse:
    return market_statement(request, slug, printable=True)
