"""What service staff may change about people and organisations, one function each, audited.

Service staff run the service; they never act inside an organisation. So these functions change
access flags and take roles away (a person who left, an account misused), and none of them gives
anyone a role: roles are given only by an organisation's own invitations (socialvalue.core.services).
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from socialvalue.core import audit
from socialvalue.core.models import Membership, Role, User
from socialvalue.core.permissions import forget_roles

# Django's own model permission on accounts: superusers hold it, other staff when given it.
CHANGE_USERS = "socialvalue.change_user"


def _require_staff(actor: User, permission: str) -> None:
    if not (actor.is_active and actor.is_staff and actor.has_perm(permission)):
        raise PermissionDenied("Only service staff with that permission can do this.")


@transaction.atomic
def user_access_set(
    *,
    actor: User,
    user: User,
    is_active: bool,
    is_staff: bool,
    is_superuser: bool,
    groups: Iterable[Group] | None = None,
    permissions: Iterable[Permission] | None = None,
) -> User:
    """Set whether a person may sign in, whether they are service staff or a superuser, and the
    Django groups and permissions they hold (which open admin pages and the few staff rules that
    accept them, such as the catalogue import; never an organisation's data)."""
    _require_staff(actor, CHANGE_USERS)
    user = User.objects.select_for_update().get(pk=user.pk)
    wanted = {"is_active": is_active, "is_staff": is_staff, "is_superuser": is_superuser}
    changed: dict = {name: value for name, value in wanted.items() if getattr(user, name) != value}
    for name, value in changed.items():
        setattr(user, name, value)
    if changed:
        user.save(update_fields=list(changed))
    for name, related, given in (
        ("groups", user.groups, groups),
        ("permissions", user.user_permissions, permissions),
    ):
        if given is None:
            continue
        given = list(given)
        if {item.pk for item in given} != set(related.values_list("pk", flat=True)):
            related.set(given)
            changed[name] = sorted(str(item) for item in given)
    if changed:
        audit.record(actor=actor, action="user.access_changed", obj=user, data=changed)
    return user


@transaction.atomic
def membership_remove_by_staff(*, actor: User, membership: Membership, reason: str) -> None:
    """Service staff take one role away from a person, saying why (kept in the audit trail).

    The organisation keeps at least one admin, as when its own admin removes someone.
    """
    _require_staff(actor, "socialvalue.delete_membership")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why this role is being removed."})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    organisation = membership.organisation
    if (
        membership.role == Role.ORG_ADMIN
        and Membership.objects.filter(organisation=organisation, role=Role.ORG_ADMIN).count() <= 1
    ):
        raise ValidationError(
            "An organisation needs at least one admin: its admin must name another first."
        )
    audit.record(
        actor=actor,
        action="membership.removed_by_staff",
        obj=organisation,
        organisation=organisation,
        data={"user": membership.user.email, "role": membership.role, "reason": reason},
    )
    membership.delete()
    forget_roles(membership.user)
