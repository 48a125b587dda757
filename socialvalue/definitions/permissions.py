"""Who may see and change local social value definitions.

Authors: commissioners and organisation admins of the owning authority, or organisation admins
and Compact group members of an owning Compact group. Readers of unadopted versions: members of
the owner and of the authorities a definition applies to; members of the linked Compact group
once it is in review (the review step is theirs). Adopted and superseded versions are published,
so any signed-in person may read them (the market statement shows adopted ones to everybody).
Adopting puts a version in force for every authority it applies to, superseding that authority's
own: besides authoring it, the adopter must be an author at each of those authorities (a Compact
group, whose members may be bidders, cannot replace an authority's priorities on its own).
"""

import rules

from socialvalue.core.models import Organisation, OrganisationKind, Role
from socialvalue.core.permissions import (
    holds_role,
    holds_role_in_organisation,
    is_service_staff,
    register_view_rule,
    roles_by_organisation,
)
from socialvalue.definitions.models import DefinitionStatus

AUTHORITY_AUTHOR_ROLES = frozenset({Role.COMMISSIONER, Role.ORG_ADMIN})
GROUP_AUTHOR_ROLES = frozenset({Role.ORG_ADMIN, Role.COMPACT_MEMBER})
PUBLISHED = frozenset({DefinitionStatus.ADOPTED, DefinitionStatus.SUPERSEDED})


def author_roles_for(kind: str) -> frozenset[str]:
    """The roles that let a member of an organisation of this kind author its definitions."""
    if kind == OrganisationKind.AUTHORITY:
        return AUTHORITY_AUTHOR_ROLES
    if kind == OrganisationKind.COMPACT_GROUP:
        return GROUP_AUTHOR_ROLES
    return frozenset()


def _definition(obj):
    """The definition behind a definition, priority or priority measure."""
    if obj is None:
        return None
    if hasattr(obj, "priority"):
        obj = obj.priority
    if hasattr(obj, "definition"):
        obj = obj.definition
    return obj


@rules.predicate
def is_author(user, obj) -> bool:
    definition = _definition(obj)
    if definition is None:
        return False
    held = roles_by_organisation(user).get(definition.owner_id, frozenset())
    return bool(held & author_roles_for(definition.owner.kind))


@rules.predicate
def can_read(user, obj) -> bool:
    definition = _definition(obj)
    if definition is None:
        return False
    if definition.status in PUBLISHED:
        return True
    by_org = roles_by_organisation(user)
    if definition.owner_id in by_org:
        return True
    # Authorities it applies to: prefetched on every page that asks.
    if any(a.pk in by_org for a in definition.authorities.all()):
        return True
    return (
        definition.status == DefinitionStatus.IN_REVIEW
        and definition.review_group_id is not None
        and Role.COMPACT_MEMBER in by_org.get(definition.review_group_id, frozenset())
    )


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def authoring_organisation_ids(user) -> set[int]:
    """Ids of the authorities and Compact groups for which this user may author definitions."""
    by_org = roles_by_organisation(user)
    if not by_org:
        return set()
    kinds = dict(Organisation.objects.filter(pk__in=list(by_org)).values_list("pk", "kind"))
    return {pk for pk, held in by_org.items() if held & author_roles_for(kinds.get(pk, ""))}


@rules.predicate
def authors_for_each_authority(user, obj) -> bool:
    """The user may author definitions at every authority this one applies to (its owner aside)."""
    definition = _definition(obj)
    if definition is None:
        return False
    by_org = roles_by_organisation(user)
    return all(
        authority.pk == definition.owner_id
        or by_org.get(authority.pk, frozenset()) & AUTHORITY_AUTHOR_ROLES
        for authority in definition.authorities.all()
    )


@rules.predicate
def authors_somewhere(user) -> bool:
    return bool(authoring_organisation_ids(user))


# Role-level: the navigation link and the list page (which lists only what the user may read).
rules.add_perm(
    "socialvalue.use_definitions",
    holds_role(Role.COMMISSIONER, Role.COMPACT_MEMBER) | is_service_staff,
)
rules.add_perm("socialvalue.add_definition", authors_somewhere)
# Service staff read every version, drafts included (they support the service; they never change one).
rules.add_perm("socialvalue.read_every_definition", is_service_staff)
rules.add_perm(
    "socialvalue.view_definition", (is_signed_in & (can_read | is_author)) | is_service_staff
)
rules.add_perm("socialvalue.change_definition", is_author)
rules.add_perm("socialvalue.adopt_definition", is_author & authors_for_each_authority)

# Each commissioning body adopts a joint definition for itself: its commissioners and admins.
rules.add_perm(
    "socialvalue.adopt_definition_for_authority",
    holds_role_in_organisation(*AUTHORITY_AUTHOR_ROLES),
)

register_view_rule("socialvalue.LocalDefinition", "socialvalue.view_definition")
