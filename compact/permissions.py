"""Who may do what in the Compact's part of the service.

- The national Compact, local Compacts (signatories, commitments, members), open consultations
  and published summaries of responses are public.
- A local Compact is kept by its group's organisation admins.
- Only members of the reviewing Compact group comment on a definition in review; the
  definition's authors reply and resolve threads; the group's admins record its view.
- A local Compact is created by an organisation admin of a Compact group that keeps none yet.
- An authority's commissioners and admins run its consultations and decommissioning
  assessments. A consultation is public from its opening date; before that only they see it
  (and may still change it). Responses are read by the authority and by the organisation that sent each.
- A decommissioning assessment is read by the authority, the Compact group of its area (whose
  members comment) and the affected provider.
"""

import rules
from django.utils import timezone

from socialvalue.core.models import Organisation, OrganisationKind, Role
from socialvalue.core.permissions import (
    holds_role,
    is_service_staff,
    register_view_rule,
    roles_by_organisation,
)
from socialvalue.definitions.models import DefinitionStatus

AUTHORITY_ROLES = frozenset({Role.COMMISSIONER, Role.ORG_ADMIN})
RESPONDER_ROLES = frozenset({Role.BIDDER, Role.ORG_ADMIN})


def _held(user, organisation_id) -> frozenset:
    return roles_by_organisation(user).get(organisation_id, frozenset())


def _group_id(obj):
    """The Compact group behind a local Compact, strategy, consultation or assessment."""
    if obj is None:
        return None
    if hasattr(obj, "group_id"):
        return obj.group_id
    compact = getattr(obj, "compact", None)
    return compact.group_id if compact is not None else None


@rules.predicate
def keeps_compact(user, obj) -> bool:
    group_id = _group_id(obj)
    return group_id is not None and Role.ORG_ADMIN in _held(user, group_id)


@rules.predicate
def in_compact_area(user, obj) -> bool:
    """A member of the group, or of an authority in the Compact's area."""
    compact = obj if hasattr(obj, "group_id") else getattr(obj, "compact", None)
    if compact is None:
        return False
    by_org = roles_by_organisation(user)
    return compact.group_id in by_org or any(a.pk in by_org for a in compact.authorities.all())


@rules.predicate
def strategy_keeper(user, strategy) -> bool:
    """The group's admins, or commissioners and admins of an authority in its area."""
    if strategy is None:
        return False
    compact = strategy.compact if hasattr(strategy, "compact") else strategy
    if Role.ORG_ADMIN in _held(user, compact.group_id):
        return True
    return any(_held(user, a.pk) & AUTHORITY_ROLES for a in compact.authorities.all())


@rules.predicate
def in_review_group(user, definition) -> bool:
    return (
        definition is not None
        and definition.status == DefinitionStatus.IN_REVIEW
        and definition.review_group_id is not None
        and Role.COMPACT_MEMBER in _held(user, definition.review_group_id)
    )


@rules.predicate
def admin_of_review_group(user, definition) -> bool:
    return (
        definition is not None
        and definition.status == DefinitionStatus.IN_REVIEW
        and definition.review_group_id is not None
        and Role.ORG_ADMIN in _held(user, definition.review_group_id)
        and Role.COMPACT_MEMBER in _held(user, definition.review_group_id)
    )


@rules.predicate
def authors_in_review(user, definition) -> bool:
    return (
        definition is not None
        and definition.status == DefinitionStatus.IN_REVIEW
        and rules.has_perm("socialvalue.change_definition", user, definition)
    )


@rules.predicate
def works_for_authority(user, obj) -> bool:
    return obj is not None and bool(_held(user, obj.authority_id) & AUTHORITY_ROLES)


@rules.predicate
def consultation_opened(user, consultation) -> bool:
    return consultation is not None and consultation.starts_on <= timezone.localdate()


@rules.predicate
def not_opened(user, consultation) -> bool:
    return consultation is not None and consultation.starts_on > timezone.localdate()


@rules.predicate
def admin_of_group_without_compact(user) -> bool:
    """An organisation admin of a Compact group that keeps no local Compact yet."""
    return bool(groups_without_compact_ids(user))


def groups_without_compact_ids(user) -> list[int]:
    """The Compact groups this user administers that keep no local Compact yet."""
    ids = [org for org, held in roles_by_organisation(user).items() if Role.ORG_ADMIN in held]
    if not ids:
        return []
    return list(
        Organisation.objects.filter(
            pk__in=ids, kind=OrganisationKind.COMPACT_GROUP, local_compact__isnull=True
        ).values_list("pk", flat=True)
    )


@rules.predicate
def sent_response(user, response) -> bool:
    return response is not None and bool(_held(user, response.organisation_id))


@rules.predicate
def runs_consultation_of_response(user, response) -> bool:
    return response is not None and works_for_authority(user, response.consultation)


@rules.predicate
def may_respond(user, consultation) -> bool:
    """An organisation other than the authority, by a bidder or admin of it, while it is open."""
    if consultation is None or not consultation.is_open():
        return False
    return bool(responding_organisation_ids(user))


def responding_organisation_ids(user) -> list[int]:
    """The organisations (voluntary organisations and other bidders) a user may respond for."""
    ids = [org for org, held in roles_by_organisation(user).items() if held & RESPONDER_ROLES]
    return list(
        Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.BIDDER).values_list(
            "pk", flat=True
        )
    )


@rules.predicate
def is_affected_provider(user, assessment) -> bool:
    return (
        assessment is not None
        and assessment.provider_id is not None
        and assessment.provider_id in roles_by_organisation(user)
    )


@rules.predicate
def in_assessment_group(user, assessment) -> bool:
    group_id = _group_id(assessment)
    return group_id is not None and Role.COMPACT_MEMBER in _held(user, group_id)


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


rules.add_perm("compact.change_local_compact", keeps_compact)
rules.add_perm("compact.add_local_compact", admin_of_group_without_compact)
# Consultations are public once open (the page and the API).
rules.add_perm("compact.list_public_consultations", rules.always_allow)
rules.add_perm("compact.view_health", in_compact_area | is_service_staff)
rules.add_perm("compact.change_strategy", strategy_keeper)
# A joint strategy and its reviews are public (its page and its report).
rules.add_perm("compact.view_strategy", rules.always_allow)
rules.add_perm("compact.comment_on_review", in_review_group | authors_in_review)
rules.add_perm("compact.resolve_comment", authors_in_review)
rules.add_perm("compact.record_group_view", admin_of_review_group)
rules.add_perm("compact.add_consultation", holds_role(Role.COMMISSIONER))
rules.add_perm("compact.change_consultation", works_for_authority)
# The page, the documents and the report of a consultation: public once open.
rules.add_perm("compact.view_consultation", consultation_opened | works_for_authority)
# What was announced stays as announced once the consultation opens.
rules.add_perm("compact.edit_consultation", works_for_authority & not_opened)
rules.add_perm("compact.respond_to_consultation", is_signed_in & may_respond)
rules.add_perm("compact.view_response", sent_response | runs_consultation_of_response)
rules.add_perm("compact.add_decommissioning", holds_role(Role.COMMISSIONER))
rules.add_perm(
    "compact.view_decommissioning",
    works_for_authority | in_assessment_group | is_affected_provider,
)
rules.add_perm("compact.comment_on_decommissioning", in_assessment_group | works_for_authority)
rules.add_perm("compact.use_compact", holds_role(Role.COMMISSIONER, Role.COMPACT_MEMBER))

register_view_rule("compact.ConsultationResponse", "compact.view_response")
register_view_rule("compact.DecommissioningAssessment", "compact.view_decommissioning")
