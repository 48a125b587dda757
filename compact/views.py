"""Pages of the Compact: the national Compact, local Compacts and their health, the group's
reviews of definitions, joint strategies, consultations and decommissioning assessments.
Thin: reads through compact.selectors (and definitions' selectors), changes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from compact import forms, reports, selectors, services
from compact.models import (
    ConsultationDocument,
    JointStrategy,
    ResponseAttachment,
    ReviewComment,
    Signatory,
)
from compact.permissions import (
    AUTHORITY_ROLES,
    groups_without_compact_ids,
    responding_organisation_ids,
)
from socialvalue.act.selectors import planned_contracts_of
from socialvalue.core.models import Organisation
from socialvalue.core.permissions import can, roles_by_organisation
from socialvalue.core.web import apply_errors, refuse, require_perm
from socialvalue.definitions import selectors as definition_selectors
from socialvalue.definitions import services as definition_services
from tenders.selectors import authority_tenders

PAGE_SIZE = 20


def _page(request: HttpRequest, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _authorities_of(user) -> list[Organisation]:
    ids = [o for o, held in roles_by_organisation(user).items() if held & AUTHORITY_ROLES]
    return list(Organisation.objects.filter(pk__in=ids, kind="authority").order_by("name"))


def _file(field_file, *, name: str, content_type: str) -> FileResponse:
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the national Compact and local Compacts ------------------------------------------------


def compact_index(request: HttpRequest) -> HttpResponse:
    national = selectors.national_compact()
    sections = {s.number: s for s in national.sections}
    return render(
        request,
        "compact/index.html",
        {
            "national": national,
            "commitments": [(sections[c.section], c) for c in national.commitments],
            "rules": national.rules_on(selectors.today()),
            "page": _page(request, selectors.local_compacts()),
            "can_add": can(request.user, "compact.add_local_compact"),
        },
    )


@login_required
def local_compact_create(request: HttpRequest) -> HttpResponse:
    """A Compact group's admin records the group's local Compact (one per group)."""
    require_perm(request, "compact.add_local_compact")
    form = forms.LocalCompactForm(
        request.POST or None, groups=groups_without_compact_ids(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.local_compact_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                "Local Compact recorded. Add its signatories, commitments and the group's members.",
            )
            return redirect(item)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Record your area's local Compact",
            "back": "/compact/",
            "submit_label": "Record the local Compact",
            "intro": "A local Compact is the agreement between an area's public bodies and its "
            "voluntary and community organisations, built on the national Compact. Its group "
            "keeps it here: signatories, local commitments, members and the joint strategy.",
        },
    )


def _local(slug: str):
    compact = selectors.local_compact_page(slug)
    if compact is None:
        raise Http404
    return compact


def local_compact(request: HttpRequest, slug: str) -> HttpResponse:
    compact = _local(slug)
    national = {c.key: c for c in selectors.national_compact().commitments}
    signatories = list(compact.signatories.all())
    for commitment in compact.commitments.all():
        commitment.national = national.get(commitment.national_key)
    return render(
        request,
        "compact/local.html",
        {
            "compact": compact,
            "public_bodies": [s for s in signatories if s.sector == "public"],
            "voluntary": [s for s in signatories if s.sector == "voluntary"],
            "open_consultations": list(
                selectors.public_consultations().filter(authority__in=compact.authorities.all())[
                    :10
                ]
            ),
            "can_change": can(request.user, "compact.change_local_compact", compact),
            "can_see_health": can(request.user, "compact.view_health", compact),
            "can_add_strategy": can(request.user, "compact.change_strategy", compact),
        },
    )


@login_required
def health(request: HttpRequest, slug: str) -> HttpResponse:
    compact = _local(slug)
    if not can(request.user, "compact.view_health", compact):
        raise Http404
    return render(
        request,
        "compact/health.html",
        {"compact": compact, "health": selectors.health_of(compact)},
    )


@login_required
def signatory_add(request: HttpRequest, slug: str) -> HttpResponse:
    compact = _local(slug)
    if not can(request.user, "compact.change_local_compact", compact):
        raise Http404
    form = forms.SignatoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signatory_add(actor=request.user, compact=compact, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Signatory added.")
            return redirect(compact)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Add a signatory",
            "back": compact.get_absolute_url(),
            "caption": compact.title,
            "submit_label": "Add the signatory",
        },
    )


@login_required
def signatory_signed(request: HttpRequest, pk: int) -> HttpResponse:
    signatory = get_object_or_404(
        Signatory.objects.select_related("compact", "organisation"), pk=pk
    )
    compact = signatory.compact
    if not can(request.user, "compact.change_local_compact", compact):
        raise Http404
    form = forms.SignedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signatory_signed(
                actor=request.user, signatory=signatory, signed_on=form.cleaned_data["signed_on"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{signatory.display_name} has signed.")
            return redirect(compact)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": f"Record that {signatory.display_name} signed",
            "back": compact.get_absolute_url(),
            "caption": compact.title,
            "submit_label": "Record the signature",
        },
    )


def _kept(request: HttpRequest, slug: str):
    compact = _local(slug)
    if not can(request.user, "compact.change_local_compact", compact):
        raise Http404
    return compact


@login_required
def commitment_add(request: HttpRequest, slug: str) -> HttpResponse:
    compact = _kept(request, slug)
    form = forms.CommitmentForm(
        request.POST or None, national=selectors.national_compact().commitments
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_add(actor=request.user, compact=compact, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Commitment added.")
            return redirect(compact)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Add a local commitment",
            "caption": compact.title,
            "back": compact.get_absolute_url(),
            "submit_label": "Add the commitment",
        },
    )


@login_required
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    compact = _kept(request, slug)
    form = forms.MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(actor=request.user, compact=compact, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Member added.")
            return redirect(compact)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Add a member of the group",
            "caption": compact.title,
            "back": compact.get_absolute_url(),
            "submit_label": "Add the member",
        },
    )


@login_required
def strategy_create(request: HttpRequest, slug: str) -> HttpResponse:
    compact = _local(slug)
    if not can(request.user, "compact.change_strategy", compact):
        raise Http404
    definitions = definition_selectors.current_definitions_of(
        organisations=list(compact.authorities.all())
    )
    form = forms.StrategyForm(request.POST or None, definitions=definitions)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.strategy_create(
                actor=request.user, compact=compact, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Joint strategy recorded.")
            return redirect(item)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Record the joint social value strategy",
            "caption": compact.title,
            "back": compact.get_absolute_url(),
            "submit_label": "Record the strategy",
        },
    )


# --- reviews of definitions -------------------------------------------------------------------


def _definition(request: HttpRequest, pk: int):
    definition = definition_selectors.definition_with_content(pk)
    if definition is None:
        raise Http404
    require_perm(request, "socialvalue.view_definition", definition)
    return definition


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _definition(request, pk)
    user = request.user
    data = reports.review_report_data(definition)
    own_authorities = {a.pk for a in _authorities_of(user)}
    adopted_ids = {a.authority_id for a in definition.authority_adoptions.all()}
    return render(
        request,
        "compact/review.html",
        {
            **data,
            "can_comment": can(user, "compact.comment_on_review", definition),
            "can_resolve": can(user, "compact.resolve_comment", definition),
            "can_record_view": can(user, "compact.record_group_view", definition),
            "can_change": can(user, "socialvalue.change_definition", definition),
            "adoptable_by_me": [
                a
                for a in definition.authorities.all()
                if a.pk in own_authorities and a.pk not in adopted_ids
            ]
            if definition.status == "in_review"
            else [],
            "comment_form": forms.CommentForm(),
        },
    )


@login_required
@require_POST
def review_comment(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _definition(request, pk)
    require_perm(request, "compact.comment_on_review", definition)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        priority = next((p for p in definition.priorities.all() if p.pk == data["priority"]), None)
        parent = (
            ReviewComment.objects.filter(pk=data["parent"], definition=definition).first()
            if data["parent"]
            else None
        )
        try:
            services.review_comment(
                actor=request.user,
                definition=definition,
                body=data["body"],
                priority=priority,
                parent=parent,
            )
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, "Comment added.")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("compact-review", definition.pk)


@login_required
def comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(ReviewComment.objects.only("pk", "definition_id"), pk=pk)
    definition = _definition(request, comment.definition_id)
    comment = ReviewComment.objects.select_related("definition__owner").get(pk=pk)
    require_perm(request, "compact.resolve_comment", definition)
    form = forms.ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_comment_resolve(
                actor=request.user, comment=comment, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Thread resolved.")
            return redirect("compact-review", definition.pk)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Resolve the comment",
            "quote": comment.body,
            "back": f"/compact/reviews/{definition.pk}/",
            "caption": definition.title,
            "submit_label": "Resolve",
        },
    )


@login_required
def review_group_view(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _definition(request, pk)
    require_perm(request, "compact.record_group_view", definition)
    form = forms.GroupViewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_view_record(
                actor=request.user, definition=definition, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The group's view is recorded.")
            return redirect("compact-review", definition.pk)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Record the group's view",
            "caption": definition.title,
            "back": f"/compact/reviews/{definition.pk}/",
            "submit_label": "Record the view",
        },
    )


@login_required
def review_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _definition(request, pk)
    adopted_ids = {a.authority_id for a in definition.authority_adoptions.all()}
    own = {a.pk for a in _authorities_of(request.user)}
    choices = [a for a in definition.authorities.all() if a.pk in own and a.pk not in adopted_ids]
    if not any(a.pk in own for a in definition.authorities.all()):
        # The person may read the definition (checked above) but adopts for no authority of it.
        raise PermissionDenied
    form = forms.AuthorityAdoptionForm(request.POST or None, authorities=choices)
    problems = definition_services.adoption_problems(definition)
    if request.method == "POST" and form.is_valid():
        try:
            definition_services.definition_adopt_for_authority(
                actor=request.user, definition=definition, **form.cleaned_data
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_errors(form, error)
            else:
                refuse(request, error)
                return redirect("compact-review", definition.pk)
        else:
            messages.success(request, "The authority's adoption is recorded.")
            return redirect("compact-review", definition.pk)
    return render(
        request,
        "compact/adopt.html",
        {
            "form": form,
            "definition": definition,
            "problems": problems,
            "group_view": selectors.group_view_of(definition),
            "choices": choices,
        },
    )


@login_required
def review_settings(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _definition(request, pk)
    require_perm(request, "socialvalue.change_definition", definition)
    initial = {
        "review_on": definition.review_on,
        "voluntary_sector_role": definition.voluntary_sector_role,
    }
    form = forms.ReviewSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            definition_services.definition_set_review(
                actor=request.user, definition=definition, **form.cleaned_data
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_errors(form, error)
            else:
                refuse(request, error)
                return redirect("compact-review", definition.pk)
        else:
            messages.success(request, "Review date and the sector's role saved.")
            return redirect("compact-review", definition.pk)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Review date and the role of voluntary organisations",
            "caption": definition.title,
            "back": f"/compact/reviews/{definition.pk}/",
            "submit_label": "Save",
        },
    )


# --- joint strategies -------------------------------------------------------------------------


def strategy(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        JointStrategy.objects.select_related("compact", "definition").prefetch_related(
            "reviews__recorded_by", "compact__authorities"
        ),
        pk=pk,
    )
    return render(
        request,
        "compact/strategy.html",
        {
            "strategy": item,
            "reviews": list(item.reviews.all()),
            "can_change": can(request.user, "compact.change_strategy", item),
        },
    )


@login_required
def strategy_review(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        JointStrategy.objects.select_related("compact").prefetch_related("compact__authorities"),
        pk=pk,
    )
    require_perm(request, "compact.change_strategy", item)
    form = forms.StrategyReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.strategy_review_record(actor=request.user, strategy=item, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Review recorded.")
            return redirect(item)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Record a review",
            "caption": item.title,
            "back": item.get_absolute_url(),
            "submit_label": "Record the review",
        },
    )


# --- consultations ----------------------------------------------------------------------------


def consultations(request: HttpRequest) -> HttpResponse:
    state = "closed" if request.GET.get("state") == "closed" else "open"
    run = []
    if request.user.is_authenticated:
        run = list(selectors.consultations_run_by(user=request.user)[:20])
    return render(
        request,
        "compact/consultations.html",
        {
            "state": state,
            "page": _page(request, selectors.public_consultations(state=state)),
            "params": f"state={state}",
            "run": run,
            "can_add": can(request.user, "compact.add_consultation"),
        },
    )


@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "compact.add_consultation")
    authorities = _authorities_of(request.user)
    form = forms.ConsultationForm(
        request.POST or None,
        authorities=authorities,
        planned_contracts=planned_contracts_of(organisations=authorities),
        initial={"planned_contract": request.GET.get("contract")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.consultation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Consultation opened.")
            return redirect(item)
    rules = selectors.compact_rules(on_date=selectors.today())
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Open a consultation",
            "back": "/compact/consultations/",
            "submit_label": "Open the consultation",
            "intro": f"The Compact asks for {rules.consultation_weeks}-week formal written "
            "consultations where they enable meaningful engagement, with clear reasons for shorter ones.",
            "multipart": False,
        },
    )


def _consultation(request: HttpRequest, pk: int):
    item = selectors.consultation_page(pk)
    if item is None or not selectors.consultation_visible(request.user, item):
        raise Http404
    return item


def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    item = _consultation(request, pk)
    user = request.user
    act_answer = None
    if item.planned_contract_id and can(user, "compact.change_consultation", item):
        from socialvalue.act.selectors import assessments_for

        act_answer = assessments_for(planned_contract=item.planned_contract).first()
    return render(
        request,
        "compact/consultation.html",
        {
            **reports.consultation_report_data(item),
            "can_change": can(user, "compact.change_consultation", item),
            "can_edit": can(user, "compact.edit_consultation", item),
            "can_respond": can(user, "compact.respond_to_consultation", item),
            "own_responses": selectors.own_responses(user=user, consultation=item)
            if user.is_authenticated
            else [],
            "act_answer": act_answer,
        },
    )


@login_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a consultation before it opens; once open, what was announced stays."""
    item = _consultation(request, pk)
    if not can(request.user, "compact.change_consultation", item):
        raise Http404
    if not can(request.user, "compact.edit_consultation", item):
        messages.error(
            request,
            "This consultation has opened: what was announced stays as it was. Add a document "
            "to correct or explain it.",
        )
        return redirect(item)
    form = forms.ConsultationForm(
        request.POST or None,
        authorities=[item.authority],
        planned_contracts=planned_contracts_of(organisations=[item.authority]),
        initial={
            "authority": item.authority_id,
            "planned_contract": item.planned_contract_id,
            **{
                name: getattr(item, name)
                for name in (
                    "title",
                    "subject",
                    "description",
                    "audience",
                    "starts_on",
                    "ends_on",
                    "shorter_reason",
                )
            },
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(actor=request.user, consultation=item, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_errors(form, error)
            else:
                refuse(request, error)
                return redirect(item)
        else:
            messages.success(request, "Consultation changed.")
            return redirect(item)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Change the consultation",
            "caption": item.title,
            "back": item.get_absolute_url(),
            "submit_label": "Save the changes",
            "intro": "You can change a consultation until it opens. Once it is public, what was "
            "announced stays as it was.",
        },
    )


@login_required
def consultation_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _consultation(request, pk)
    if not can(request.user, "compact.change_consultation", item):
        raise Http404
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_document_add(
                actor=request.user,
                consultation=item,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Document added.")
            return redirect(item)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Add a document",
            "caption": item.title,
            "back": item.get_absolute_url(),
            "submit_label": "Add the document",
            "multipart": True,
        },
    )


def consultation_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(ConsultationDocument.objects.select_related("consultation"), pk=pk)
    if not selectors.consultation_visible(request.user, document.consultation):
        raise Http404
    return _file(document.file, name=document.original_name, content_type=document.content_type)


@login_required
def consultation_respond(request: HttpRequest, pk: int) -> HttpResponse:
    item = _consultation(request, pk)
    if not can(request.user, "compact.respond_to_consultation", item):
        messages.error(
            request,
            "Responses come from voluntary organisations and other providers while the "
            "consultation is open.",
        )
        return redirect(item)
    form = forms.ResponseForm(
        request.POST or None,
        request.FILES or None,
        organisations=responding_organisation_ids(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consultation_respond(
                actor=request.user,
                consultation=item,
                organisation=data["organisation"],
                body=data["body"],
                uploads=[data["file"]] if data.get("file") else [],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                "Response sent. The authority reads it; once it publishes its summary, "
                "everyone can read that.",
            )
            return redirect(item)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Respond to the consultation",
            "caption": item.title,
            "back": item.get_absolute_url(),
            "submit_label": "Send the response",
            "multipart": True,
        },
    )


@login_required
def consultation_responses(request: HttpRequest, pk: int) -> HttpResponse:
    item = _consultation(request, pk)
    if not can(request.user, "compact.change_consultation", item):
        raise Http404
    return render(
        request,
        "compact/responses.html",
        {"consultation": item, "page": _page(request, selectors.responses_to(item))},
    )


@login_required
def response_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(
        ResponseAttachment.objects.select_related("response__consultation"), pk=pk
    )
    if not can(request.user, "compact.view_response", attachment.response):
        raise Http404
    return _file(
        attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )


@login_required
def consultation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _consultation(request, pk)
    if not can(request.user, "compact.change_consultation", item):
        raise Http404
    form = forms.PublishForm(
        request.POST or None,
        initial={"summary": item.response_summary, "you_said_we_did": item.you_said_we_did},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_publish_response(
                actor=request.user, consultation=item, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Summary of responses published.")
            return redirect(item)
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Publish the summary of responses",
            "caption": item.title,
            "back": item.get_absolute_url(),
            "submit_label": "Publish",
        },
    )


# --- decommissioning --------------------------------------------------------------------------


@login_required
def decommissioning_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "compact/decommissioning_list.html",
        {
            "page": _page(request, selectors.decommissioning_visible_to(user=request.user)),
            "can_add": can(request.user, "compact.add_decommissioning"),
        },
    )


@login_required
def decommissioning_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "compact.add_decommissioning")
    form = forms.DecommissioningForm(
        request.POST or None,
        authorities=_authorities_of(request.user),
        tenders=authority_tenders(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        assessment = {name: data.pop(name) or "" for name in form.ASSESSMENT_FIELDS}
        try:
            item = services.decommissioning_record(actor=request.user, **data, **assessment)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Decommissioning assessment recorded.")
            return redirect(item)
    rules = selectors.compact_rules(on_date=selectors.today())
    return render(
        request,
        "compact/form.html",
        {
            "form": form,
            "title": "Assess a decommissioning",
            "back": "/compact/decommissioning/",
            "submit_label": "Record the assessment",
            "intro": "Before reducing or ending a service or its funding, the Compact asks you to "
            "assess the impact on beneficiaries, service users and volunteers, seek advice from the "
            f"sector, and give at least {rules.minimum_notice_months} months' notice.",
        },
    )


def _assessment(request: HttpRequest, pk: int):
    item = selectors.decommissioning_page(pk)
    if item is None:
        raise Http404
    require_perm(request, "compact.view_decommissioning", item)
    return item


@login_required
def decommissioning(request: HttpRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    return render(
        request,
        "compact/decommissioning.html",
        {
            **reports.decommissioning_report_data(item),
            "can_comment": can(request.user, "compact.comment_on_decommissioning", item),
            "comment_form": forms.CommentForm(),
        },
    )


@login_required
@require_POST
def decommissioning_comment(request: HttpRequest, pk: int) -> HttpResponse:
    item = _assessment(request, pk)
    require_perm(request, "compact.comment_on_decommissioning", item)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            services.decommissioning_comment(
                actor=request.user, assessment=item, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, "Comment added.")
    else:
        messages.error(request, "Enter your comment.")
    return redirect(item)
