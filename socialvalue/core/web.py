"""Small helpers every app's views share: permission refusal and service errors shown on forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from socialvalue.core import permissions


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (or at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


def refuse(request: HttpRequest, error: ValidationError) -> None:
    """Show a service's refusal of a button (not tied to a form's fields) as messages on the next
    page, one per reason."""
    for message in error.messages:
        messages.error(request, message)


def require_perm(request: HttpRequest, permission: str, obj=None) -> None:
    """Refuse unless the signed-in person may (see socialvalue.core.permissions.require)."""
    permissions.require(request.user, permission, obj)
