"""Admin site for the catalogue: measures editable, proxy versions read-only once written."""

from django.contrib import admin

from measurement.models import Measure, ProxyValue


class ProxyValueInline(admin.TabularInline):
    model = ProxyValue
    extra = 0
    can_delete = False
    fields = ("valid_from", "value", "proxy_year", "source_title", "source_confirmed")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        # New versions go through the catalogue pages, which check the dates.
        return False


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "theme", "unit", "is_active")
    list_filter = ("theme", "is_active")
    search_fields = ("code", "name", "outcome", "unit")
    inlines = [ProxyValueInline]

    def get_readonly_fields(self, request, obj=None):
        # Bids and returns count in a measure's unit under its code: those never change.
        if obj is not None:
            return ("code", "theme", "unit", "created_at", "updated_at")
        return ("created_at", "updated_at")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProxyValue)
class ProxyValueAdmin(admin.ModelAdmin):
    list_display = ("measure", "valid_from", "value", "source_confirmed")
    list_filter = ("source_confirmed",)
    search_fields = ("measure__code", "source_title")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
