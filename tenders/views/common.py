"""Helpers the tender pages share: finding what the person may see (or a 404), running a
service for a button, showing a service's errors on a form and sending a stored file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from socialvalue.core.permissions import can
from socialvalue.core.web import apply_errors, require_perm
from tenders import forms, selectors
from tenders.models import Bid, Lot, Tender


def _tender_or_404(request: HttpRequest, pk: int) -> Tender:
    tender = selectors.tenders_visible_to(user=request.user).filter(pk=pk).first()
    if tender is None:
        raise Http404
    return tender


def _run(request: HttpRequest, call, success) -> bool:
    """Run one service call for a button; show its refusal, or `success` (text, or a function
    of the result), as the message on the next page. True when it was done."""
    try:
        result = call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


def _apply_tender_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        error = ValidationError(
            {forms.TENDER_ERROR_FIELDS.get(k, k): v for k, v in error.error_dict.items()}
        )
    apply_errors(form, error)


def _lot_or_404(request, pk: int) -> Lot:
    lot = get_object_or_404(Lot.objects.select_related("tender", "tender__authority"), pk=pk)
    if not can(request.user, "tenders.view_tender", lot.tender):
        raise Http404
    return lot


def _file_response(field_file, *, name: str, content_type: str) -> FileResponse:
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _readable_bid_or_404(request, pk: int) -> Bid:
    """A bid whose contents this user may read; anything else is not found (it may exist,
    but a sealed or foreign bid is not even confirmed to a stranger)."""
    bid = selectors.readable_bid(user=request.user, pk=pk)
    if bid is None:
        raise Http404
    return bid


def _own_bid_or_404(request, pk: int) -> Bid:
    bid = _readable_bid_or_404(request, pk)
    require_perm(request, "tenders.change_bid", bid)
    return bid
