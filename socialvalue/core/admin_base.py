"""The one base for every page of the admin site: service staff look, nothing changes here.

State changes go through the service functions (socialvalue/services.py and each app's), which
check who may act and write the audit trail; the admin would do neither. So every ModelAdmin and
inline the project registers derives from these: no add, change or delete, no bulk actions, and
`fields` limited by each admin to what service staff need to run the service (never a bid's
contents or files). Who may look is one rule, `socialvalue.browse_admin_model`, asked through
`core.permissions.can` with the model's `_meta`: every member of service staff reads the pages a
feature registers for them (`register_staff_admin_page`: organisations, people, the catalogue,
jobs); any other model's pages need Django's own permission on it, given in the admin.
"""

from django.contrib import admin

from socialvalue.core.permissions import can


def may_view_in_admin(user, opts) -> bool:
    """Whether this person may read the admin pages of the model whose `_meta` is `opts`."""
    return can(user, "socialvalue.browse_admin_model", opts)


class ReadOnlyPermissions:
    """Look, never touch: shared by the model admins and their inlines."""

    def has_view_permission(self, request, obj=None) -> bool:
        return may_view_in_admin(request.user, self.opts)

    def has_module_permission(self, request) -> bool:
        # Django's default asks for any Django permission in the app; the rule decides here, so
        # the index lists what staff may read.
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
