"""The authority's social value across its contracts (committed against verified delivered, by
theme and by priority), its choice to publish the delivered part, and the public page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from measurement.delivery import services, totals
from socialvalue.core.models import Organisation, OrganisationKind
from socialvalue.core.permissions import can, organisations_with_role
from socialvalue.core.public_cache import cache_for_signed_out
from socialvalue.core.web import require_perm
from tenders.permissions import AUTHORITY_VIEW_ROLES

PAGE_SIZE = 25


def _contracts_page(request: HttpRequest, authority: Organisation):
    contracts = (
        totals.authority_contracts(authority)
        .select_related("tender", "supplier")
        .order_by("-entered_at", "pk")
    )
    return Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def authority_totals(request: HttpRequest) -> HttpResponse:
    """Committed against verified delivered across one authority's contracts (the first the
    person works at, or the one chosen), by theme and by priority of its adopted definition."""
    authorities = list(
        Organisation.objects.filter(
            pk__in=organisations_with_role(request.user, *AUTHORITY_VIEW_ROLES),
            kind=OrganisationKind.AUTHORITY,
        ).order_by("name")
    )
    if not authorities:
        raise Http404
    chosen = str(request.GET.get("authority", ""))
    authority = next((a for a in authorities if str(a.pk) == chosen), authorities[0])
    require_perm(request, "delivery.view_authority_totals", authority)
    page = _contracts_page(request, authority)
    return render(
        request,
        "delivery/totals.html",
        {
            "authority": authority,
            "authorities": authorities,
            "figures": totals.authority_delivery(authority),
            "page": page,
            "rows": totals.contract_rows(page.object_list),
            "published": totals.is_published(authority),
            "may_publish": can(request.user, "delivery.publish_delivery", authority),
        },
    )


@login_required
@require_POST
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the authority's delivered social value, or stop publishing it."""
    authority = get_object_or_404(Organisation, pk=pk, kind=OrganisationKind.AUTHORITY)
    if not can(request.user, "delivery.view_authority_totals", authority):
        raise Http404
    require_perm(request, "delivery.publish_delivery", authority)
    published = request.POST.get("published") == "yes"
    try:
        services.publication_set(actor=request.user, authority=authority, published=published)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Your delivered social value is published."
            if published
            else "Your delivered social value is no longer published.",
        )
    return redirect(reverse("delivery-totals") + f"?authority={authority.pk}")


@cache_for_signed_out
def public_summary(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: the social value an authority's contracts delivered, verified by the authority,
    when it has chosen to publish it; otherwise no such page."""
    authority = get_object_or_404(Organisation, slug=slug, kind=OrganisationKind.AUTHORITY)
    if not totals.is_published(authority):
        raise Http404
    page = _contracts_page(request, authority)
    return render(
        request,
        "delivery/public.html",
        {
            "authority": authority,
            "figures": totals.authority_delivery(authority, delivered_only=True),
            "page": page,
            "rows": totals.contract_rows(page.object_list, delivered_only=True),
        },
    )
