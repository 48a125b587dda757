"""The one permission layer: who may see or do what, as `rules` predicates and permissions.

The entry point is `can(user, "<app>.<verb>_<thing>", obj)` (and `require`, which refuses): views,
services, the API, navigation, templates (`{% can %}`) and reports all ask it; none checks roles by
hand. Rules alone decide, so a superuser gets nothing extra on organisations' data; service staff
have their own named permissions (`is_service_staff`). Each feature adds its rules in its own
`permissions.py` (imported from its registrations), built from the predicates here.

Refusals follow one convention: a person who may not know an object exists gets a 404 (the page
confirms nothing); a person who may see the object but not do this to it, or a page with no object,
gets a 403. A feature says which permission lets a person know an object exists with
`register_view_rule`.
"""

import rules
from django.contrib.auth import get_permission_codename
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from socialvalue.core.models import Membership, Role

_CACHE_ATTR = "_socialvalue_roles"
# Model label -> the permission that lets a person know such an object exists.
_VIEW_RULES: dict[str, str] = {}


def can(user, permission: str, obj=None) -> bool:
    """Whether the rule for `permission` holds for this user (and object). Superuser or not."""
    return rules.has_perm(permission, user, obj)


def is_rule(permission: str) -> bool:
    """Whether `permission` is one of the project's rules (not one of Django's model permissions)."""
    return rules.perm_exists(permission)


def require(user, permission: str, obj=None) -> None:
    """Refuse unless `can`: 404 where the person may not know the object exists, else 403."""
    if can(user, permission, obj):
        return
    if obj is not None:
        view_permission = _VIEW_RULES.get(obj._meta.label)
        if view_permission is None or not can(user, view_permission, obj):
            raise Http404
    raise PermissionDenied


def register_view_rule(model_label: str, permission: str) -> None:
    """Declare which permission lets a person know an object of this model exists."""
    _VIEW_RULES[model_label] = permission


def roles_by_organisation(user) -> dict[int, frozenset[str]]:
    """{organisation id: roles} for a signed-in user, read once per user object (one query)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        found: dict[int, set[str]] = {}
        for organisation_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            found.setdefault(organisation_id, set()).add(role)
        cached = {key: frozenset(value) for key, value in found.items()}
        setattr(user, _CACHE_ATTR, cached)
    return cached


def scope_to_organisation(user, organisation_id: int) -> None:
    """For the rest of this request, the user holds their roles in this organisation only: a
    request made with an API token (scoped to one organisation) is decided by every rule as if
    the person belonged to no other."""
    roles = roles_by_organisation(user).get(organisation_id, frozenset())
    setattr(user, _CACHE_ATTR, {organisation_id: roles} if roles else {})


def forget_roles(user) -> None:
    """Drop the cached roles after memberships change within the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def all_roles(user) -> frozenset[str]:
    """Every role the user holds in any organisation."""
    return frozenset().union(*roles_by_organisation(user).values())


def organisations_with_role(user, *roles: str) -> set[int]:
    """Ids of the organisations in which the user holds any of these roles."""
    wanted = set(roles)
    return {org for org, held in roles_by_organisation(user).items() if held & wanted}


def holds_role(*roles: str) -> rules.Predicate:
    """Predicate: the user holds one of these roles in some organisation."""
    wanted = frozenset(roles)

    @rules.predicate(name=f"holds_role({','.join(sorted(wanted))})")
    def predicate(user) -> bool:
        return bool(all_roles(user) & wanted)

    return predicate


def holds_role_in_organisation(*roles: str) -> rules.Predicate:
    """Predicate over an organisation (or any object with `organisation_id`): the user holds a role in it."""
    wanted = frozenset(roles)

    @rules.predicate(name=f"holds_role_in_organisation({','.join(sorted(wanted))})")
    def predicate(user, obj) -> bool:
        if obj is None:
            return False
        organisation_id = getattr(obj, "organisation_id", None) or getattr(obj, "pk", None)
        return bool(roles_by_organisation(user).get(organisation_id, frozenset()) & wanted)

    return predicate


def granted_in_admin(permission: str) -> rules.Predicate:
    """Predicate: the person, or a group of theirs, was given this Django permission by name.

    Being a superuser does not count (Django would grant a superuser every permission): only a
    permission given to the account or its groups does.
    """
    app_label, codename = permission.split(".", 1)

    @rules.predicate(name=f"granted_in_admin({permission})")
    def predicate(user) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return Permission.objects.filter(
            Q(user=user) | Q(group__user=user),
            content_type__app_label=app_label,
            codename=codename,
        ).exists()

    return predicate


@rules.predicate
def is_service_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


# Models whose admin pages every member of service staff may read (registered by each feature).
_STAFF_ADMIN_PAGES: set[str] = set()


def register_staff_admin_page(model_label: str) -> None:
    """Let every member of service staff read this model's admin pages (read-only, as all are)."""
    _STAFF_ADMIN_PAGES.add(model_label)


@rules.predicate
def is_staff_admin_page(user, opts) -> bool:
    return opts is not None and opts.label in _STAFF_ADMIN_PAGES


@rules.predicate
def granted_admin_view(user, opts) -> bool:
    """Django's own view (or change) permission on the model, asked of its ModelBackend: given to
    the account or its groups in the admin, or held by a superuser. Only the admin site asks it:
    the project's rules share some of those names ("tenders.view_bid") and answer otherwise."""
    if opts is None:
        return False
    backend = ModelBackend()
    return any(
        backend.has_perm(user, f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )


@rules.predicate
def is_member_of(user, organisation) -> bool:
    return organisation is not None and organisation.pk in roles_by_organisation(user)


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules.predicate
def own_api_token(user, token) -> bool:
    return token is not None and token.user_id == getattr(user, "pk", None)


@rules.predicate
def requested_job(user, job) -> bool:
    return job is not None and job.requested_by_id == getattr(user, "pk", None)


is_org_admin = holds_role_in_organisation(Role.ORG_ADMIN)
is_commissioner = holds_role(Role.COMMISSIONER)
is_procurement_officer = holds_role(Role.PROCUREMENT_OFFICER)
is_evaluator = holds_role(Role.EVALUATOR)
is_bidder = holds_role(Role.BIDDER)
is_compact_member = holds_role(Role.COMPACT_MEMBER)
is_any_org_admin = holds_role(Role.ORG_ADMIN)


rules.add_perm("socialvalue.view_status", is_service_staff)
rules.add_perm("socialvalue.add_authority", is_service_staff)
rules.add_perm("socialvalue.view_organisation", is_member_of | is_service_staff)
rules.add_perm("socialvalue.manage_members", is_org_admin)
rules.add_perm("socialvalue.view_job", requested_job | is_service_staff)
rules.add_perm("socialvalue.run_audit_check", is_service_staff)
# The admin site's pages of a model (its `_meta` is the object): every member of service staff
# reads the pages registered for them; other models' pages need Django's permission on the model.
rules.add_perm(
    "socialvalue.browse_admin_model",
    is_service_staff & (is_staff_admin_page | granted_admin_view),
)
# API tokens: a person makes them for an organisation they belong to, and revokes their own.
rules.add_perm("socialvalue.manage_api_tokens", is_signed_in)
rules.add_perm("socialvalue.create_api_token", is_member_of)
rules.add_perm("socialvalue.revoke_api_token", own_api_token)

# Role-level permissions, used for navigation and dashboards; object rules refine them.
rules.add_perm("socialvalue.act_as_commissioner", is_commissioner)
rules.add_perm("socialvalue.act_as_procurement_officer", is_procurement_officer)
rules.add_perm("socialvalue.act_as_evaluator", is_evaluator)
rules.add_perm("socialvalue.act_as_bidder", is_bidder)
rules.add_perm("socialvalue.act_as_compact_member", is_compact_member)
rules.add_perm("socialvalue.act_as_org_admin", is_any_org_admin)

register_view_rule("socialvalue.Organisation", "socialvalue.view_organisation")
register_view_rule("socialvalue.Job", "socialvalue.view_job")
# Authorities and other organisations, people and their roles, invitations and background jobs.
for label in (
    "socialvalue.Organisation",
    "socialvalue.Membership",
    "socialvalue.User",
    "socialvalue.Invitation",
    "socialvalue.Job",
    "socialvalue.WorkerHeartbeat",
):
    register_staff_admin_page(label)
