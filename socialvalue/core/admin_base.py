"""The one base for every page of the admin site: service staff look, nothing changes here.

State changes go through the service functions (socialvalue/services.py and each app's), which
check who may act and write the audit trail; the admin would do neither. So every ModelAdmin and
inline the project registers derives from these: no add, change or delete, no bulk actions, and
`fields` limited by each admin to what service staff need to run the service (never a bid's
contents or files). Who may look is Django's own model permission (view or change) on the model,
asked of Django's ModelBackend directly: the project's `rules` permissions share some of those
names ("tenders.view_bid") and answer about one object for one organisation's people.
"""

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.auth.backends import ModelBackend


def may_view_in_admin(user, opts) -> bool:
    """Active service staff holding Django's view (or change) permission on the model."""
    if not (user.is_active and user.is_staff):
        return False
    backend = ModelBackend()
    return any(
        backend.has_perm(user, f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )


class ReadOnlyPermissions:
    """Look, never touch: shared by the model admins and their inlines."""

    def has_view_permission(self, request, obj=None) -> bool:
        return may_view_in_admin(request.user, self.opts)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyPermissions, admin.ModelAdmin):
    """A model's list and detail pages, read-only; each subclass names the fields it shows."""

    actions = None

    def get_readonly_fields(self, request, obj=None):
        # Listed as read-only so fields the model marks not editable (the audit trail's) show too.
        return self.fields or [field.name for field in self.opts.fields]


class ReadOnlyInline(ReadOnlyPermissions, admin.TabularInline):
    """Related rows listed under their parent, read-only."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        # Listed as read-only so fields the model marks not editable (the audit trail's) show too.
        return self.fields or [field.name for field in self.opts.fields]
