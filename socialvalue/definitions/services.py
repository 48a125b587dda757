"""State changes of local social value definitions: one function per change, each audited.

Lifecycle: draft -> in review -> adopted -> superseded. A version in review can go back to
draft for changes. Adopting a version supersedes, in the same transaction, whatever version
was adopted for any of the same authorities, so an authority has one adopted definition at a
time. Adopted and superseded versions are never edited: a change is a new version, started as
a copy of the latest one. Refused transitions raise ValidationError with a message a person
can act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from socialvalue.core import audit
from socialvalue.core.models import Organisation, OrganisationKind, User
from socialvalue.core.permissions import can
from socialvalue.definitions import hooks
from socialvalue.definitions.models import (
    AuthorityAdoption,
    DefinitionStatus,
    LocalDefinition,
    Priority,
    PriorityMeasure,
)
from socialvalue.kernel.dates import long_date

THEMES = tuple(code for code, _label in Priority._meta.get_field("theme").choices)

# Why each status refuses the transitions it refuses (the page shows these as they are).
NOT_EDITABLE = {
    DefinitionStatus.IN_REVIEW: "This version is in review, so it cannot be changed. Return it "
    "to draft to make changes.",
    DefinitionStatus.ADOPTED: "This version is adopted, so it cannot be changed. Start a new "
    "version to make changes.",
    DefinitionStatus.SUPERSEDED: "This version has been superseded and is kept as a record; it "
    "cannot be changed.",
}
CANNOT_SUBMIT = {
    DefinitionStatus.IN_REVIEW: "This version is already in review.",
    DefinitionStatus.ADOPTED: "This version is already adopted. Start a new version to propose "
    "changes.",
    DefinitionStatus.SUPERSEDED: "A superseded version cannot be submitted for review.",
}
CANNOT_ADOPT = {
    DefinitionStatus.DRAFT: "Submit this draft for review before adopting it, so the Compact "
    "group can comment.",
    DefinitionStatus.ADOPTED: "This version is already adopted.",
    DefinitionStatus.SUPERSEDED: "A superseded version cannot be adopted again. Start a new "
    "version from it instead.",
}
CANNOT_RETURN = {
    DefinitionStatus.DRAFT: "This version is already a draft.",
    DefinitionStatus.ADOPTED: "An adopted version cannot go back to draft. Start a new version "
    "to make changes.",
    DefinitionStatus.SUPERSEDED: "A superseded version cannot go back to draft.",
}


def _require(actor: User, permission: str, obj) -> None:
    if not can(actor, permission, obj):
        raise PermissionDenied


def _locked_for_change(actor: User, definition: LocalDefinition) -> LocalDefinition:
    """Refuse unless the actor may change the definition, then re-read it under a row lock so
    two transitions cannot interleave."""
    _require(actor, "socialvalue.change_definition", definition)
    return LocalDefinition.objects.select_for_update().select_related("owner").get(pk=definition.pk)


def _locked_draft(actor: User, definition: LocalDefinition) -> LocalDefinition:
    """As ``_locked_for_change``, refusing too unless the version is still a draft."""
    definition = _locked_for_change(actor, definition)
    if definition.status != DefinitionStatus.DRAFT:
        raise ValidationError(NOT_EDITABLE[definition.status])
    return definition


def _record(actor: User, action: str, obj, definition: LocalDefinition, /, **data) -> None:
    """Audit a change to a definition or to something in it, under the owning organisation.
    (Positional-only, so ``definition`` may also be a key of the data.)"""
    audit.record(actor=actor, action=action, obj=obj, organisation=definition.owner, data=data)


def _parties(
    owner: Organisation,
    authorities: Sequence[Organisation] | None,
    review_group: Organisation | None,
) -> tuple[list[Organisation], Organisation | None]:
    """The authorities and reviewing group a definition gets, checked: an authority's own
    definition applies to itself unless others are given; a Compact group's must name its
    authorities and is reviewed by the group itself unless another group is given."""
    if owner.kind == OrganisationKind.AUTHORITY:
        authorities = list(authorities or [owner])
    else:
        authorities = list(authorities or [])
        review_group = review_group or owner
    _check_parties(owner, authorities, review_group)
    return authorities, review_group


def _check_parties(
    owner: Organisation, authorities: Sequence[Organisation], review_group: Organisation | None
) -> None:
    errors = {}
    if owner.kind not in (OrganisationKind.AUTHORITY, OrganisationKind.COMPACT_GROUP):
        errors["owner"] = "Only an authority or a Compact group can own a local definition."
    if not authorities:
        errors["authorities"] = "Choose at least one authority the definition applies to."
    elif any(a.kind != OrganisationKind.AUTHORITY for a in authorities):
        errors["authorities"] = "A definition can only apply to contracting authorities."
    if review_group is not None and review_group.kind != OrganisationKind.COMPACT_GROUP:
        errors["review_group"] = "The reviewing group must be a Compact group."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def definition_create(
    *,
    actor: User,
    owner: Organisation,
    title: str,
    statement: str,
    authorities: Sequence[Organisation] | None = None,
    review_group: Organisation | None = None,
) -> LocalDefinition:
    """Start version 1 of a local definition as a draft. An authority's own definition applies
    to itself unless other authorities are given; a Compact group's must name its authorities
    and is reviewed by the group itself unless another group is given."""
    authorities, review_group = _parties(owner, authorities, review_group)
    definition = LocalDefinition(
        owner=owner,
        title=title.strip(),
        statement=statement.strip(),
        review_group=review_group,
        created_by=actor,
    )
    _require(actor, "socialvalue.change_definition", definition)
    definition.full_clean(exclude=["authorities"])
    definition.save()
    definition.authorities.set(authorities)
    _record(
        actor,
        "definition.created",
        definition,
        definition,
        version=definition.version,
        authorities=[a.pk for a in authorities],
    )
    return definition


@transaction.atomic
def definition_update(
    *,
    actor: User,
    definition: LocalDefinition,
    title: str,
    statement: str,
    authorities: Sequence[Organisation] | None = None,
    review_group: Organisation | None = None,
) -> LocalDefinition:
    """Change a draft's title, statement, authorities and reviewing group."""
    definition = _locked_draft(actor, definition)
    owner = definition.owner
    authorities, review_group = _parties(owner, authorities, review_group)
    definition.title = title.strip()
    definition.statement = statement.strip()
    definition.review_group = review_group
    definition.full_clean(exclude=["authorities"])
    definition.save()
    definition.authorities.set(authorities)
    _record(
        actor, "definition.updated", definition, definition, authorities=[a.pk for a in authorities]
    )
    return definition


@transaction.atomic
def definition_submit(*, actor: User, definition: LocalDefinition) -> LocalDefinition:
    """Send a draft for review (draft -> in review). It needs at least one priority."""
    definition = _locked_for_change(actor, definition)
    if definition.status != DefinitionStatus.DRAFT:
        raise ValidationError(CANNOT_SUBMIT[definition.status])
    if not definition.priorities.exists():
        raise ValidationError(
            "Add at least one priority before submitting for review: reviewers need to see "
            "what the authority will ask of suppliers."
        )
    definition.status = DefinitionStatus.IN_REVIEW
    definition.submitted_by, definition.submitted_at = actor, timezone.now()
    definition.save()
    _record(
        actor,
        "definition.submitted",
        definition,
        definition,
        version=definition.version,
        review_group=definition.review_group_id,
    )
    return definition


@transaction.atomic
def definition_return_to_draft(
    *, actor: User, definition: LocalDefinition, reason: str = ""
) -> LocalDefinition:
    """Take a version out of review to change it (in review -> draft)."""
    definition = _locked_for_change(actor, definition)
    if definition.status != DefinitionStatus.IN_REVIEW:
        raise ValidationError(CANNOT_RETURN[definition.status])
    definition.status = DefinitionStatus.DRAFT
    definition.returned_by, definition.returned_at = actor, timezone.now()
    definition.save()
    _record(
        actor,
        "definition.returned_to_draft",
        definition,
        definition,
        version=definition.version,
        reason=reason.strip(),
    )
    return definition


def adoption_problems(definition: LocalDefinition) -> list[str]:
    """What stops this version being adopted, besides its status (empty when nothing)."""
    problems = []
    priorities = list(definition.priorities.all())
    if not priorities:
        problems.append(
            "A definition with no priorities cannot be adopted: add at least one priority "
            "with its measures."
        )
    for priority in priorities:
        if not priority.measures.all():
            problems.append(
                f"The priority '{priority.outcome}' has no measures: choose at least one from "
                "the catalogue, or remove the priority."
            )
    if not definition.authorities.all():
        problems.append("Choose at least one authority the definition applies to.")
    for check in hooks.adoption_checks:
        problems.extend(check(definition))
    return problems


def versions_superseded_by(definition: LocalDefinition) -> list[LocalDefinition]:
    """The adopted versions that adopting ``definition`` would supersede: every adopted
    definition applying to any of the same authorities."""
    authority_ids = [a.pk for a in definition.authorities.all()]
    ids = (
        LocalDefinition.objects.filter(
            status=DefinitionStatus.ADOPTED, authorities__in=authority_ids
        )
        .exclude(pk=definition.pk)
        .values_list("pk", flat=True)
        .distinct()
    )
    return list(
        LocalDefinition.objects.filter(pk__in=list(ids))
        .select_related("owner")
        .prefetch_related("authorities")
        .order_by("effective_from")
    )


def earliest_start(previous: Sequence[LocalDefinition]) -> date:
    """The default start of a newly adopted version: today, or the day after the latest start
    among the versions it supersedes when that is later (a version is in effect at least a day)."""
    starts = [old.effective_from for old in previous if old.effective_from]
    return max([timezone.localdate(), *(start + timedelta(days=1) for start in starts)])


@transaction.atomic
def definition_adopt(
    *, actor: User, definition: LocalDefinition, effective_from: date | None = None
) -> LocalDefinition:
    """Adopt a version in review (in review -> adopted), in effect from ``effective_from``
    (default: ``earliest_start``). Every other version adopted for any of its authorities is
    superseded in the same transaction, its period ending the day before."""
    definition = _locked_for_change(actor, definition)
    _require(actor, "socialvalue.adopt_definition", definition)
    if definition.status != DefinitionStatus.IN_REVIEW:
        raise ValidationError(CANNOT_ADOPT[definition.status])
    problems = adoption_problems(definition)
    if problems:
        raise ValidationError(problems)
    return _put_in_force(actor, definition, effective_from)


def _put_in_force(
    actor: User, definition: LocalDefinition, effective_from: date | None
) -> LocalDefinition:
    """Adopt a locked version in review, superseding what it replaces for its authorities."""
    # Lock the authorities so two adoptions for one authority queue behind each other.
    authority_ids = sorted(a.pk for a in definition.authorities.all())
    list(Organisation.objects.select_for_update().filter(pk__in=authority_ids).order_by("pk"))
    previous = versions_superseded_by(definition)
    if effective_from is None:
        effective_from = earliest_start(previous)
    for old in previous:
        if old.effective_from and effective_from <= old.effective_from:
            raise ValidationError(
                {
                    "effective_from": f"The date must be after {long_date(old.effective_from)}, "
                    f"when version {old.version} of '{old.title}' took effect."
                }
            )
    now = timezone.now()
    for old in LocalDefinition.objects.select_for_update().filter(pk__in=[o.pk for o in previous]):
        old.status = DefinitionStatus.SUPERSEDED
        old.effective_to = effective_from - timedelta(days=1)
        old.superseded_by_user, old.superseded_at = actor, now
        old.save()
        _record(
            actor,
            "definition.superseded",
            old,
            old,
            by=definition.pk,
            effective_to=old.effective_to,
        )
    definition.status = DefinitionStatus.ADOPTED
    definition.effective_from, definition.effective_to = effective_from, None
    definition.adopted_by, definition.adopted_at = actor, now
    definition.save()
    _record(
        actor,
        "definition.adopted",
        definition,
        definition,
        version=definition.version,
        effective_from=effective_from,
        superseded=[o.pk for o in previous],
    )
    return definition


@transaction.atomic
def definition_new_version(*, actor: User, definition: LocalDefinition) -> LocalDefinition:
    """Start the next version as a draft copy of ``definition`` (its statement, authorities,
    priorities, measures and targets). Only the latest version of a line can be followed,
    and only once it is adopted or superseded."""
    definition = _locked_for_change(actor, definition)
    if definition.status in (DefinitionStatus.DRAFT, DefinitionStatus.IN_REVIEW):
        raise ValidationError(
            "This version is not adopted yet: change it (returning it to draft if it is in "
            "review) rather than starting another."
        )
    following = LocalDefinition.objects.filter(replaces=definition).first()
    if following is not None:
        raise ValidationError(
            f"Version {following.version} already follows this one; work on that version instead."
        )
    copy = LocalDefinition.objects.create(
        owner=definition.owner,
        review_group=definition.review_group,
        title=definition.title,
        statement=definition.statement,
        version=definition.version + 1,
        replaces=definition,
        created_by=actor,
    )
    copy.authorities.set(definition.authorities.all())
    for priority in definition.priorities.prefetch_related("measures"):
        new_priority = Priority.objects.create(
            definition=copy,
            theme=priority.theme,
            outcome=priority.outcome,
            description=priority.description,
            order=priority.order,
        )
        PriorityMeasure.objects.bulk_create(
            PriorityMeasure(
                priority=new_priority,
                measure_id=link.measure_id,
                target_quantity=link.target_quantity,
                target_text=link.target_text,
                order=link.order,
            )
            for link in priority.measures.all()
        )
    _record(
        actor,
        "definition.version_started",
        copy,
        copy,
        version=copy.version,
        replaces=definition.pk,
    )
    return copy


# --- priorities -------------------------------------------------------------------------------


def _check_priority(theme: str, outcome: str) -> None:
    errors = {}
    if theme not in THEMES:
        errors["theme"] = "Choose economic, social or environmental."
    if not outcome.strip():
        errors["outcome"] = "Enter the outcome this priority seeks."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def priority_add(
    *, actor: User, definition: LocalDefinition, theme: str, outcome: str, description: str = ""
) -> Priority:
    """Add a priority at the end of a draft's list."""
    definition = _locked_draft(actor, definition)
    _check_priority(theme, outcome)
    last = definition.priorities.aggregate(last=Max("order"))["last"]
    priority = Priority.objects.create(
        definition=definition,
        theme=theme,
        outcome=outcome.strip(),
        description=description.strip(),
        order=0 if last is None else last + 1,
    )
    _record(
        actor,
        "definition.priority_added",
        priority,
        definition,
        definition=definition.pk,
        theme=theme,
        outcome=priority.outcome,
    )
    return priority


@transaction.atomic
def priority_update(
    *, actor: User, priority: Priority, theme: str, outcome: str, description: str = ""
) -> Priority:
    """Change a draft priority's theme, outcome or description."""
    definition = _locked_draft(actor, priority.definition)
    _check_priority(theme, outcome)
    priority.theme, priority.outcome, priority.description = (
        theme,
        outcome.strip(),
        description.strip(),
    )
    priority.save()
    _record(
        actor,
        "definition.priority_changed",
        priority,
        definition,
        definition=definition.pk,
        theme=theme,
        outcome=priority.outcome,
    )
    return priority


@transaction.atomic
def priority_remove(*, actor: User, priority: Priority) -> None:
    """Remove a priority (and its chosen measures) from a draft."""
    definition = _locked_draft(actor, priority.definition)
    _record(
        actor,
        "definition.priority_removed",
        priority,
        definition,
        definition=definition.pk,
        outcome=priority.outcome,
    )
    priority.delete()


@transaction.atomic
def priority_move(*, actor: User, priority: Priority, direction: str) -> None:
    """Move a draft priority one place up or down the list."""
    definition = _locked_draft(actor, priority.definition)
    if direction not in ("up", "down"):
        raise ValidationError("Move a priority up or down.")
    ordered = list(definition.priorities.order_by("order", "pk"))
    index = next(i for i, p in enumerate(ordered) if p.pk == priority.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for number, item in enumerate(ordered):
        if item.order != number:
            item.order = number
            item.save(update_fields=["order"])


@transaction.atomic
def priority_set_measures(*, actor: User, priority: Priority, measures: Iterable) -> Priority:
    """Make ``measures`` (catalogue Measure objects) the priority's chosen measures: new ones
    are added at the end, unchosen ones removed (with their targets), kept ones keep theirs."""
    definition = _locked_draft(actor, priority.definition)
    chosen = {m.pk: m for m in measures}
    existing = {link.measure_id: link for link in priority.measures.all()}
    # A measure taken out of use stays where it was chosen, but cannot be newly chosen.
    new_inactive = [m.code for pk, m in chosen.items() if pk not in existing and not m.is_active]
    if new_inactive:
        raise ValidationError(
            {"measures": f"{', '.join(new_inactive)} is no longer in use and cannot be chosen."}
        )
    removed = [pk for pk in existing if pk not in chosen]
    PriorityMeasure.objects.filter(priority=priority, measure_id__in=removed).delete()
    next_order = max((link.order for link in existing.values()), default=-1) + 1
    added = []
    for pk, measure in chosen.items():
        if pk not in existing:
            added.append(PriorityMeasure(priority=priority, measure=measure, order=next_order))
            next_order += 1
    PriorityMeasure.objects.bulk_create(added)
    _record(
        actor,
        "definition.priority_measures_set",
        priority,
        definition,
        definition=definition.pk,
        added=[link.measure.code for link in added],
        removed=removed,
    )
    return priority


@transaction.atomic
def priority_measure_set_target(
    *,
    actor: User,
    link: PriorityMeasure,
    target_quantity: Decimal | None,
    target_text: str = "",
) -> PriorityMeasure:
    """Set (or clear) a chosen measure's target: a quantity in the measure's unit, words, or both."""
    definition = _locked_draft(actor, link.priority.definition)
    if target_quantity is not None and target_quantity <= 0:
        raise ValidationError(
            {"target_quantity": "A target must be more than zero, or left empty."}
        )
    link.target_quantity, link.target_text = target_quantity, target_text.strip()
    link.full_clean()
    link.save()
    _record(
        actor,
        "definition.target_set",
        link,
        definition,
        definition=definition.pk,
        measure=link.measure.code,
        target_quantity=target_quantity,
        target_text=link.target_text,
    )
    return link


# --- review date, the sector's role, and each authority's own adoption -------------------------


@transaction.atomic
def definition_set_review(
    *,
    actor: User,
    definition: LocalDefinition,
    review_on: date | None,
    voluntary_sector_role: str = "",
) -> LocalDefinition:
    """Set when a version is next reviewed and the role of voluntary organisations in achieving
    it. These describe how the definition is kept up, so they may change on an adopted version
    too; a superseded one is a record and does not change."""
    definition = _locked_for_change(actor, definition)
    if definition.status == DefinitionStatus.SUPERSEDED:
        raise ValidationError(NOT_EDITABLE[DefinitionStatus.SUPERSEDED])
    definition.review_on = review_on
    definition.voluntary_sector_role = voluntary_sector_role.strip()
    definition.save(update_fields=["review_on", "voluntary_sector_role", "updated_at"])
    _record(
        actor,
        "definition.review_set",
        definition,
        definition,
        review_on=review_on,
        voluntary_sector_role=definition.voluntary_sector_role,
    )
    return definition


@transaction.atomic
def definition_adopt_for_authority(
    *,
    actor: User,
    definition: LocalDefinition,
    authority: Organisation,
    decided_on: date,
    reference: str = "",
) -> AuthorityAdoption:
    """Record one commissioning body's own adoption of a version in review that applies to it.
    When every authority it applies to has adopted it, the version is adopted, in effect from
    ``earliest_start`` (today, unless what it supersedes started later)."""
    _require(actor, "socialvalue.view_definition", definition)
    _require(actor, "socialvalue.adopt_definition_for_authority", authority)
    definition = (
        LocalDefinition.objects.select_for_update()
        .select_related("owner")
        .prefetch_related("authorities")
        .get(pk=definition.pk)
    )
    if definition.status != DefinitionStatus.IN_REVIEW:
        raise ValidationError(CANNOT_ADOPT.get(definition.status, "This version is not in review."))
    authority_ids = {a.pk for a in definition.authorities.all()}
    if authority.pk not in authority_ids:
        raise ValidationError({"authority": "This definition does not apply to that authority."})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": "The date of the decision must be today or earlier."})
    problems = adoption_problems(definition)
    if problems:
        raise ValidationError(problems)
    if AuthorityAdoption.objects.filter(definition=definition, authority=authority).exists():
        raise ValidationError({"authority": f"{authority.name} has already adopted this version."})
    adoption = AuthorityAdoption.objects.create(
        definition=definition,
        authority=authority,
        decided_on=decided_on,
        reference=reference.strip(),
        recorded_by=actor,
    )
    _record(
        actor,
        "definition.adopted_by_authority",
        definition,
        definition,
        authority=authority.pk,
        decided_on=decided_on,
        reference=adoption.reference,
    )
    adopted = set(
        AuthorityAdoption.objects.filter(definition=definition).values_list(
            "authority_id", flat=True
        )
    )
    if authority_ids <= adopted:
        _put_in_force(actor, definition, None)
    return adoption
