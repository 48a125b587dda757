"""Pages of the measures catalogue: list, detail with proxy versions, CSV import and export."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from measurement import selectors, services
from measurement.catalogue import CatalogueError, rows_from_text
from measurement.forms import CatalogueFilterForm, CatalogueImportForm, ProxyAddForm
from measurement.models import Theme
from socialvalue.core.permissions import can
from socialvalue.core.web import apply_errors, require_perm

PAGE_SIZE = 50
_PENDING = "measurement_pending_import"


def _measure_or_404(code: str):
    measure = selectors.measure_by_code(code)
    if measure is None:
        raise Http404
    return measure


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@login_required
def measure_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "measurement.view_catalogue")
    form = CatalogueFilterForm(request.GET or None)
    theme = query = ""
    if form.is_valid():
        theme, query = form.cleaned_data["theme"], form.cleaned_data["q"].strip()
    page = Paginator(selectors.measures(theme=theme, query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    for measure in page.object_list:
        measure.current_proxy = selectors.in_force_among(measure.proxy_values.all(), today)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "measurement/measure_list.html",
        {
            "form": form,
            "page": page,
            "theme": theme,
            "query": query,
            "themes": Theme.choices,
            "filter_params": params.urlencode(),
            "can_import": can(request.user, "measurement.import_catalogue"),
            "today": today,
        },
    )


@login_required
def measure_detail(request: HttpRequest, code: str) -> HttpResponse:
    require_perm(request, "measurement.view_catalogue")
    measure = _measure_or_404(code)
    today = timezone.localdate()
    versions = list(measure.proxy_values.all())
    current = selectors.in_force_among(versions, today)
    return render(
        request,
        "measurement/measure_detail.html",
        {
            "measure": measure,
            "versions": list(reversed(versions)),
            "current": current,
            "today": today,
            "can_import": can(request.user, "measurement.import_catalogue"),
        },
    )


@login_required
def measure_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, "measurement.export_catalogue")
    response = HttpResponse(services.export_csv(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="measures-catalogue-{stamp}.csv"'
    return response


@login_required
def measure_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload a file and see what importing it would do (nothing is saved yet)."""
    require_perm(request, "measurement.import_catalogue")
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    plan = None
    digest = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = upload.read()
            rows = services.rows_from_upload(data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            plan = services.plan_import(rows)
            if plan.is_valid:
                digest = hashlib.sha256(data).hexdigest()
                request.session[_PENDING] = {
                    "digest": digest,
                    "text": services.decode_upload(data),
                    "name": upload.name,
                }
    return render(
        request,
        "measurement/measure_import.html",
        {"form": form, "plan": plan, "digest": digest},
    )


@login_required
@require_POST
def measure_import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: import the checked file, all of it or nothing."""
    require_perm(request, "measurement.import_catalogue")
    pending = request.session.get(_PENDING)
    if not pending or pending.get("digest") != request.POST.get("digest"):
        messages.error(request, "That upload has expired. Upload the file again to import it.")
        return redirect("measure-import")
    try:
        plan = services.import_catalogue(actor=request.user, rows=rows_from_text(pending["text"]))
    except CatalogueError as error:
        del request.session[_PENDING]
        form = CatalogueImportForm()
        return render(
            request,
            "measurement/measure_import.html",
            {"form": form, "plan": services.ImportPlan(errors=list(error.errors))},
        )
    del request.session[_PENDING]
    messages.success(
        request,
        f"Imported {pending['name']}: "
        f"{_counted(plan.count('new_measure'), 'new measure')}, "
        f"{_counted(plan.count('measure_changed'), 'measure')} with new wording, "
        f"{_counted(plan.new_version_count, 'new proxy version')}; "
        f"{_counted(plan.unchanged_rows, 'row')} already in the catalogue.",
    )
    return redirect("measure-list")


@login_required
def measure_proxy_add(request: HttpRequest, code: str) -> HttpResponse:
    require_perm(request, "measurement.import_catalogue")
    measure = _measure_or_404(code)
    form = ProxyAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proxy_add(actor=request.user, measure=measure, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"New proxy version added to {measure.code}.")
            return redirect(measure)
    versions = list(measure.proxy_values.all())
    return render(
        request,
        "measurement/proxy_add.html",
        {"form": form, "measure": measure, "latest": versions[-1] if versions else None},
    )
