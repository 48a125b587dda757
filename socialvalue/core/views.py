"""Pages of the core: home, sign-up, dashboard, organisation members, invitations, service status."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from socialvalue.core import dashboard, jobs, rate_limits, services, status
from socialvalue.core.forms import (
    AcceptInvitationForm,
    AuthorityForm,
    BidderRegistrationForm,
    InviteForm,
    MemberRolesForm,
)
from socialvalue.core.models import Invitation, Job, Membership, Organisation, Role, User
from socialvalue.core.permissions import can
from socialvalue.core.web import apply_errors, require_perm

# The address typed at registration, for the "check your email" page that follows.
REGISTERED_EMAIL = "registered_email"


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "socialvalue/home.html")


def register_bidder(request: HttpRequest) -> HttpResponse:
    """Register a bidder organisation. Whether or not the email address already has an account,
    the answer is the same "check your email" page (its owner is emailed instead)."""
    form = BidderRegistrationForm(request.POST or None)
    status_code = 200
    if request.method == "POST" and form.is_valid():
        refusal = rate_limits.counted(
            request,
            group="registration-address",
            rate=settings.REGISTRATION_RATE_PER_ADDRESS,
            key=rate_limits.by_address,
        )
        if refusal:
            form.add_error(
                None,
                "Too many registrations have been made from your connection recently. "
                f"Try again in {refusal.wait_text}.",
            )
            status_code = 429
        else:
            data = form.cleaned_data
            try:
                services.bidder_register(
                    organisation_name=data["organisation_name"],
                    bidder_type=data["bidder_type"],
                    charity_number=data["charity_number"],
                    company_number=data["company_number"],
                    full_name=data["full_name"],
                    email=data["email"],
                    password=data["password1"],
                    absolute_url=request.build_absolute_uri,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                request.session[REGISTERED_EMAIL] = data["email"]
                return redirect("register-check-email")
    return render(request, "socialvalue/register.html", {"form": form}, status=status_code)


def register_check_email(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "socialvalue/register_check_email.html",
        {
            "email": request.session.get(REGISTERED_EMAIL, ""),
            "valid_hours": settings.EMAIL_CONFIRMATION_VALID_HOURS,
        },
    )


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    return render(
        request, "socialvalue/dashboard.html", {"sections": dashboard.sections_for(request.user)}
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's name, email, organisations and roles, and a way to change password."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )
    return render(request, "socialvalue/account.html", {"memberships": memberships})


@login_required
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    require_perm(request, "socialvalue.view_organisation", organisation)
    can_manage = can(request.user, "socialvalue.manage_members", organisation)
    form = InviteForm(request.POST or None, organisation=organisation) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.member_invite(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                accept_url_for=lambda token: request.build_absolute_uri(
                    reverse("invitation-accept", args=[token])
                ),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect(organisation)
    # One row per person, with every role they hold here.
    people = (
        User.objects.filter(memberships__organisation=organisation)
        .distinct()
        .order_by("full_name", "email")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(organisation=organisation),
                to_attr="roles_here",
            )
        )
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    members = [(person, _role_labels(person.roles_here)) for person in page]
    invitations = Invitation.objects.open().filter(organisation=organisation) if can_manage else []
    return render(
        request,
        "socialvalue/organisation.html",
        {
            "organisation": organisation,
            "members": members,
            "page": page,
            "invitations": invitations,
            "form": form,
            "can_manage": can_manage,
            "invitation_days": settings.INVITATION_VALID_DAYS,
        },
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), pk=pk)
    require_perm(request, "socialvalue.manage_members", invitation.organisation)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect(invitation.organisation)


def _role_labels(memberships) -> list[str]:
    """Role names in the order the service lists roles."""
    order = list(Role)
    return [Role(m.role).label for m in sorted(memberships, key=lambda m: order.index(m.role))]


def _member(request: HttpRequest, slug: str, user_id: int) -> tuple[Organisation, User, list]:
    """The organisation (its admin asks) and one of its members, with their roles there."""
    organisation = get_object_or_404(Organisation, slug=slug)
    require_perm(request, "socialvalue.manage_members", organisation)
    roles = list(
        Membership.objects.filter(organisation=organisation, user_id=user_id).select_related("user")
    )
    if not roles:
        raise Http404
    return organisation, roles[0].user, roles


@login_required
def member_roles(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """Change the roles a member holds."""
    organisation, person, roles = _member(request, slug, user_id)
    form = MemberRolesForm(
        # Bound on every POST: ticking no box sends no field, and must say so.
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        person=person,
        initial={"roles": [membership.role for membership in roles]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = services.member_roles_set(
                actor=request.user,
                organisation=organisation,
                user=person,
                roles=form.cleaned_data["roles"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if added or removed:
                messages.success(request, f"Roles of {person.full_name} changed.")
            return redirect(organisation)
    return render(
        request,
        "socialvalue/member_roles.html",
        {"organisation": organisation, "person": person, "form": form},
    )


@login_required
def member_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """Ask before removing a person from the organisation; the POST removes them."""
    organisation, person, roles = _member(request, slug, user_id)
    error = None
    if request.method == "POST":
        try:
            services.member_remove(actor=request.user, organisation=organisation, user=person)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, f"{person.full_name} is no longer a member.")
            return redirect(organisation)
    return render(
        request,
        "socialvalue/member_remove.html",
        {
            "organisation": organisation,
            "person": person,
            "roles": _role_labels(roles),
            "error": error,
        },
        status=400 if error else 200,
    )


# The page shows the invitee's email address and organisation to whoever holds the link.
@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.find_open(token)
    if invitation is None:
        return render(request, "socialvalue/invitation_closed.html", status=404)
    signed_in = request.user.is_authenticated
    if signed_in and request.user.email.lower() != invitation.email.lower():
        return render(
            request,
            "socialvalue/invitation_wrong_person.html",
            {"invitation": invitation},
            status=403,
        )
    form = None if signed_in else AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = services.invitation_accept(
                invitation=invitation,
                user=request.user if signed_in else None,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
            )
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("dashboard")
            apply_errors(form, error)
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"You are now {invitation.get_role_display().lower()} at {invitation.organisation}.",
            )
            return redirect("dashboard")
    return render(
        request, "socialvalue/invitation_accept.html", {"invitation": invitation, "form": form}
    )


@login_required
def authority_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, "socialvalue.add_authority")
    form = AuthorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation, invitation, token = services.authority_create(
                actor=request.user,
                name=data["name"],
                authority_type=data["authority_type"],
                nation=data["nation"],
                area_description=data["area_description"],
                admin_email=data["admin_email"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            link = request.build_absolute_uri(reverse("invitation-accept", args=[token]))
            messages.success(
                request, f"{organisation.name} was added. Send its first admin this link: {link}"
            )
            return redirect(organisation)
    return render(request, "socialvalue/authority_add.html", {"form": form})


@login_required
def status_page(request: HttpRequest) -> HttpResponse:
    require_perm(request, "socialvalue.view_status")
    recent_jobs = Job.objects.select_related("requested_by").order_by("-created_at")[:10]
    return render(
        request,
        "socialvalue/status.html",
        {
            "checks": status.all_checks(),
            "jobs": [(job, jobs.label_for(job.kind)) for job in recent_jobs],
        },
    )


@login_required
@require_POST
def audit_check_start(request: HttpRequest) -> HttpResponse:
    require_perm(request, "socialvalue.run_audit_check")
    job = jobs.enqueue(kind="audit.verify", requested_by=request.user)
    return redirect("job", pk=job.pk)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.select_related("requested_by"), pk=pk)
    require_perm(request, "socialvalue.view_job", job)
    if request.method == "POST":
        jobs.retry(job=job, user=request.user)
        return redirect("job", pk=job.pk)
    return render(
        request, "socialvalue/job.html", {"job": job, "job_label": jobs.label_for(job.kind)}
    )
