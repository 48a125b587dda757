"""Admin site for service staff: read-only, as socialvalue.core.admin_base explains.

Organisations and their members change only through the organisation's own pages (invitations,
removals) or the staff service functions; people's access flags through `user_access_set`.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied

from socialvalue.core import staff_services
from socialvalue.core.admin_base import ReadOnlyAdmin, ReadOnlyInline, may_view_in_admin
from socialvalue.models import (
    AuditEntry,
    Invitation,
    Job,
    Membership,
    Organisation,
    User,
    WorkerHeartbeat,
)

ACCESS_FIELDS = ["is_active", "is_staff", "is_superuser"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People's accounts. Only access changes here (flags, Django groups and permissions), through
    a service that audits it:
    an email address or password set by someone else would hand them the account (and its
    organisation's bids), so those change only by the person themselves."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "full_name"]}),
        ("Access", {"fields": [*ACCESS_FIELDS, "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["email", "full_name", "last_login", "date_joined"]
    actions = None

    def has_view_permission(self, request, obj=None) -> bool:
        return may_view_in_admin(request.user, self.opts)

    def has_module_permission(self, request) -> bool:
        return may_view_in_admin(request.user, self.opts)

    def has_add_permission(self, request) -> bool:
        # People join by registering or by invitation; service staff by `createsuperuser`.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied

    def save_model(self, request, obj, form, change) -> None:
        staff_services.user_access_set(
            actor=request.user,
            user=obj,
            groups=form.cleaned_data["groups"],
            permissions=form.cleaned_data["user_permissions"],
            **{name: form.cleaned_data[name] for name in ACCESS_FIELDS},
        )

    def save_related(self, request, form, formsets, change) -> None:
        # user_access_set has set the groups and permissions (and audited them).
        pass


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["user", "role", "created_at"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "authority_type", "nation", "bidder_type"]
    list_filter = ["kind", "authority_type", "nation", "bidder_type"]
    search_fields = ["name"]
    fields = [
        "name",
        "slug",
        "kind",
        "authority_type",
        "nation",
        "bidder_type",
        "charity_number",
        "area_description",
        "created_at",
    ]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = [
        "email",
        "organisation",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    fields = [
        "organisation",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "created_at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_repr", "action"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "status", "attempts", "created_at", "finished_at"]
    list_filter = ["kind", "status"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["hostname", "last_seen", "started_at"]


admin.site.site_header = "Social value in commissioning: service administration"
