"""State changes of the core, one function each, in a transaction, writing the audit trail."""

from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from socialvalue.core import audit, notify
from socialvalue.core.email_confirmation import send_confirmation
from socialvalue.core.models import (
    ROLES_BY_KIND,
    Invitation,
    Job,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from socialvalue.core.names import clean_organisation_name, clean_person_name, comparison_key
from socialvalue.core.permissions import can, forget_roles


@contextmanager
def _errors_named(fields: dict[str, str]):
    """Re-raise a ValidationError with its model field names mapped to the form's. A message tied
    to no field (a name check's) goes to fields["__all__"], else to the field "name" maps to."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(
                {fields.get(field, field): errors for field, errors in error.error_dict.items()}
            ) from None
        raise ValidationError(
            {fields.get("__all__", fields.get("name", "name")): error.error_list}
        ) from None


def _same_name_problem(
    *, name: str, kind: str, charity_number: str = "", company_number: str = ""
) -> str | None:
    """Why a new organisation may not take this name, or None.

    Names are compared by names.comparison_key (case, spacing, punctuation and look-alike letters
    of other alphabets ignored). A bidder may share a bidder's name only with a registered number
    that tells them apart; no one may take the name of an authority or Compact group, and staff
    give a new authority a name of its own (adding its area, say)."""
    key = comparison_key(name)
    matches = [
        other
        for other in Organisation.objects.only("name", "kind", "charity_number", "company_number")
        if comparison_key(other.name) == key
    ]
    if not matches:
        return None
    if kind != OrganisationKind.BIDDER:
        return (
            f"An organisation called \u201c{matches[0].name}\u201d is already on the service. "
            "Give this one a name that tells them apart, for example by adding its area."
        )
    for other in matches:
        if other.kind != OrganisationKind.BIDDER:
            return (
                f"\u201c{other.name}\u201d is the name of a {other.get_kind_display().lower()} on "
                "this service. Register under your own organisation's name."
            )
    numbers = {number for number in (charity_number, company_number) if number}
    if not numbers:
        return (
            f"An organisation called \u201c{matches[0].name}\u201d is already registered. If yours "
            "is a different organisation with the same name, give its registered charity number or "
            "Companies House number so people can tell them apart. If it is the same "
            "organisation, ask its admin to invite you."
        )
    if any(numbers & {other.charity_number, other.company_number} for other in matches):
        return (
            f"\u201c{matches[0].name}\u201d is already registered with that number. Ask its admin "
            "to invite you."
        )
    return None


@transaction.atomic
def bidder_register(
    *,
    organisation_name: str,
    bidder_type: str,
    charity_number: str = "",
    company_number: str = "",
    full_name: str,
    email: str,
    password: str,
    absolute_url,
) -> User | None:
    """A bidder registers their organisation and becomes its admin and first bidder, once they
    confirm their email address by the link sent to it.

    The answer does not say whether the address already has an account: when it has, nothing is
    made and its owner is emailed instead (a fresh confirmation link if they never confirmed).
    `absolute_url(path)` makes the links absolute (the view knows the host). Returns the new
    account, or None when the address was taken."""
    email = User.objects.normalize_email(email).lower()
    with _errors_named({"name": "organisation_name"}):
        organisation = Organisation(
            name=clean_organisation_name(organisation_name),
            kind=OrganisationKind.BIDDER,
            bidder_type=bidder_type,
            charity_number=charity_number.strip(),
            company_number=company_number.strip().upper(),
        )
        organisation.full_clean(exclude=["slug"])
    problem = _same_name_problem(
        name=organisation.name,
        kind=organisation.kind,
        charity_number=organisation.charity_number,
        company_number=organisation.company_number,
    )
    if problem:
        raise ValidationError({"organisation_name": problem})
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None:
        # Hash the password all the same, so the answer takes as long as making an account.
        make_password(password)
        if existing.email_confirmed_at is None:
            send_confirmation(user=existing, absolute_url=absolute_url)
        else:
            notify.send_now(
                subject=f"Someone tried to register with your email address on {settings.SERVICE_NAME}",
                template="socialvalue/email/registration_attempt.txt",
                context={
                    "user": existing,
                    "sign_in_url": absolute_url(reverse("sign-in")),
                    "reset_url": absolute_url(reverse("password_reset")),
                },
                to=existing.email,
            )
        audit.record(actor=None, action="account.registration_for_existing_email", obj=existing)
        return None
    organisation.save()
    with _errors_named({"__all__": "full_name"}):
        user = User(email=email, full_name=clean_person_name(full_name), email_confirmed_at=None)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    for role in (Role.ORG_ADMIN, Role.BIDDER):
        Membership.objects.create(user=user, organisation=organisation, role=role)
    audit.record(
        actor=user, action="organisation.registered", obj=organisation, organisation=organisation
    )
    send_confirmation(user=user, absolute_url=absolute_url)
    return user


@transaction.atomic
def authority_create(
    *,
    actor: User,
    name: str,
    authority_type: str,
    nation: str,
    area_description: str = "",
    admin_email: str,
) -> tuple[Organisation, Invitation, str]:
    """Service staff add a contracting authority and invite its first organisation admin."""
    if not can(actor, "socialvalue.add_authority"):
        raise PermissionDenied("Only service staff can add a contracting authority.")
    with _errors_named({}):
        organisation = Organisation(
            name=clean_organisation_name(name, what="Authority name"),
            kind=OrganisationKind.AUTHORITY,
            authority_type=authority_type,
            nation=nation,
            area_description=area_description,
        )
        organisation.full_clean(exclude=["slug"])
    problem = _same_name_problem(name=organisation.name, kind=organisation.kind)
    if problem:
        raise ValidationError({"name": problem})
    organisation.save()
    audit.record(
        actor=actor, action="organisation.created", obj=organisation, organisation=organisation
    )
    invitation, token = _invite(
        actor=actor, organisation=organisation, email=admin_email, role=Role.ORG_ADMIN
    )
    return organisation, invitation, token


def _invite(
    *, actor: User, organisation: Organisation, email: str, role: str
) -> tuple[Invitation, str]:
    email = User.objects.normalize_email(email).lower()
    if role not in ROLES_BY_KIND[organisation.kind]:
        raise ValidationError(
            {"role": f"A {organisation.get_kind_display().lower()} cannot have this role."}
        )
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=email, role=role
    ).exists():
        raise ValidationError({"email": "This person already has that role here."})
    if (
        Invitation.objects.open()
        .filter(organisation=organisation, email__iexact=email, role=role)
        .exists()
    ):
        raise ValidationError(
            {
                "email": "This person has already been invited to that role; the invitation is still open."
            }
        )
    invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=actor)
    token = invitation.issue_token()
    invitation.full_clean()
    invitation.save()
    audit.record(
        actor=actor,
        action="invitation.sent",
        obj=invitation,
        organisation=organisation,
        data={"email": email, "role": role},
    )
    return invitation, token


@transaction.atomic
def member_invite(
    *, actor: User, organisation: Organisation, email: str, role: str, accept_url_for
) -> Invitation:
    """An organisation admin invites a person to a role and emails them the link.

    `accept_url_for(token)` builds the absolute link (the view knows the host).
    """
    if not can(actor, "socialvalue.manage_members", organisation):
        raise PermissionDenied("Only an admin of this organisation can invite people.")
    invitation, token = _invite(actor=actor, organisation=organisation, email=email, role=role)
    # The job row keeps the link's shape, not its token: the letter issues a fresh token as the
    # email goes (see _invitation_letter), so only digests of tokens are ever stored.
    accept_url = accept_url_for(token).replace(token, _TOKEN_MARK)
    notify.send(
        kind="core.invitation",
        params={"invitation_id": invitation.pk, "accept_url": accept_url},
        requested_by=actor,
        organisation=organisation,
    )
    return invitation


_TOKEN_MARK = "{token}"


@notify.letter("core.invitation", label="Email an invitation")
def _invitation_letter(job: Job) -> list[notify.Email]:
    """The invitation email, with a link holding a token issued now; none once the invitation
    has been accepted or withdrawn. Sending again (a retried job) makes the earlier link void."""
    invitation = (
        Invitation.objects.open()
        .select_related("organisation", "invited_by")
        .filter(pk=job.params["invitation_id"])
        .first()
    )
    if invitation is None:
        return []
    token = invitation.issue_token()
    invitation.save(update_fields=["token_digest", "expires_at"])
    return notify.compose(
        [invitation.email],
        subject=f"You are invited to join {invitation.organisation.name} on {settings.SERVICE_NAME}",
        template="socialvalue/email/invitation.txt",
        context={
            "invitation": invitation,
            "accept_url": job.params["accept_url"].replace(_TOKEN_MARK, token),
            "inviter": invitation.invited_by,
        },
    )


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None = None, full_name: str = "", password: str = ""
) -> User:
    """Accept an open invitation: as the signed-in person it was sent to, or by creating their account."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at or invitation.expires_at <= timezone.now():
        raise ValidationError(
            "This invitation is no longer open. Ask the organisation's admin for a new one."
        )
    if user is None:
        existing = User.objects.filter(email__iexact=invitation.email).first()
        if existing:
            raise ValidationError(
                {
                    "email": "You already have an account: sign in, then open the invitation link again."
                }
            )
        # Following the emailed invitation link proves the address.
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=clean_person_name(full_name)
        )
    elif user.email.lower() != invitation.email.lower():
        raise PermissionDenied("This invitation was sent to a different email address.")
    Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_roles(user)
    audit.record(
        actor=user,
        action="invitation.accepted",
        obj=invitation,
        organisation=invitation.organisation,
        data={"role": invitation.role},
    )
    return user


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """An organisation admin withdraws an invitation that has not been accepted."""
    if not can(actor, "socialvalue.manage_members", invitation.organisation):
        raise PermissionDenied("Only an admin of this organisation can withdraw invitations.")
    if invitation.accepted_at:
        raise ValidationError("This invitation has already been accepted.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="invitation.revoked",
        obj=invitation,
        organisation=invitation.organisation,
    )
    return invitation


def _member_roles(organisation: Organisation, user: User) -> set[str]:
    """The roles this person holds here, their rows locked until the transaction ends."""
    return set(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, user=user)
        .values_list("role", flat=True)
    )


def _keeps_an_admin(organisation: Organisation, *, losing: User) -> bool:
    return (
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Role.ORG_ADMIN)
        .exclude(user=losing)
        .exists()
    )


@transaction.atomic
def member_roles_set(
    *, actor: User, organisation: Organisation, user: User, roles: Iterable[str]
) -> tuple[set[str], set[str]]:
    """An organisation admin sets the roles a member holds (added and removed, as a pair).

    A member keeps at least one role (taking every role away is `member_remove`), and the
    organisation keeps at least one admin. Audited as one entry naming what changed."""
    if not can(actor, "socialvalue.manage_members", organisation):
        raise PermissionDenied("Only an admin of this organisation can change its members.")
    wanted = set(roles)
    if not wanted:
        raise ValidationError(
            {"roles": "Choose at least one role, or remove them from the organisation."}
        )
    if wanted - ROLES_BY_KIND[organisation.kind]:
        raise ValidationError({"roles": "Choose only roles this organisation can have."})
    current = _member_roles(organisation, user)
    if not current:
        raise ValidationError(f"{user} is not a member of {organisation}.")
    added, removed = wanted - current, current - wanted
    if Role.ORG_ADMIN in removed and not _keeps_an_admin(organisation, losing=user):
        raise ValidationError(
            {"roles": "An organisation needs at least one admin: make someone else admin first."}
        )
    if not added and not removed:
        return added, removed
    Membership.objects.filter(organisation=organisation, user=user, role__in=removed).delete()
    for role in sorted(added):
        membership = Membership(organisation=organisation, user=user, role=role)
        membership.full_clean()
        membership.save()
    audit.record(
        actor=actor,
        action="membership.roles_changed",
        obj=organisation,
        organisation=organisation,
        data={"user": user.email, "added": sorted(added), "removed": sorted(removed)},
    )
    forget_roles(user)
    return added, removed


@transaction.atomic
def member_remove(*, actor: User, organisation: Organisation, user: User) -> set[str]:
    """An organisation admin removes a person, with every role they hold there; the last admin
    cannot be removed. Returns the roles they had."""
    if not can(actor, "socialvalue.manage_members", organisation):
        raise PermissionDenied("Only an admin of this organisation can change its members.")
    current = _member_roles(organisation, user)
    if not current:
        raise ValidationError(f"{user} is not a member of {organisation}.")
    if Role.ORG_ADMIN in current and not _keeps_an_admin(organisation, losing=user):
        raise ValidationError(
            "An organisation needs at least one admin: make someone else admin first."
        )
    Membership.objects.filter(organisation=organisation, user=user).delete()
    audit.record(
        actor=actor,
        action="membership.removed",
        obj=organisation,
        organisation=organisation,
        data={"user": user.email, "roles": sorted(current)},
    )
    forget_roles(user)
    return current


@notify.letter("core.password_reset", label="Email a password reset link")
def _password_reset_letter(job: Job) -> list[notify.Email]:
    """The password reset email for an active account, with its link made now: the job row holds
    no reset token (Django's token is good until the password changes or it times out)."""
    params = job.params
    user = User.objects.filter(pk=params["user_id"], is_active=True).first()
    if user is None:
        return []
    context = {
        "email": user.email,
        "domain": params["domain"],
        "site_name": params["site_name"],
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": params["protocol"],
    }
    # As Django's PasswordResetForm: a subject must not contain newlines.
    subject = "".join(render_to_string(params["subject_template"], context).splitlines())
    return notify.compose(
        [user.email], subject=subject, template=params["body_template"], context=context
    )
