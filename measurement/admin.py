"""Admin site for the catalogue, read-only (socialvalue.core.admin_base).

The catalogue changes through its own pages (CSV import, new proxy versions), which check the
dates, keep stored versions unchanged and write the audit trail.
"""

from django.contrib import admin

from measurement.models import Measure, ProxyValue
from socialvalue.core.admin_base import ReadOnlyAdmin, ReadOnlyInline


class ProxyValueInline(ReadOnlyInline):
    model = ProxyValue
    fields = ("valid_from", "value", "proxy_year", "source_title", "source_confirmed")
    show_change_link = True


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "theme", "unit", "is_active")
    list_filter = ("theme", "is_active")
    search_fields = ("code", "name", "outcome", "unit")
    inlines = [ProxyValueInline]


@admin.register(ProxyValue)
class ProxyValueAdmin(ReadOnlyAdmin):
    list_display = ("measure", "valid_from", "value", "source_confirmed")
    list_filter = ("source_confirmed",)
    search_fields = ("measure__code", "source_title")
