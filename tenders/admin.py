"""Admin site for tenders. Sealed bids: the admin shows that a bid exists, never what it says.

Bids are listed with their bidder, lot, status, submission time and digest only; their price,
answers, commitments and attachments are not registered here at all, before or after the
deadline. Contents are read through the service's pages, where the sealed rule applies. Tenders
are read-only here: they change only through tenders.services.
"""

from django.contrib import admin

from tenders.models import Bid, Clarification, LocalMinimumWeighting, Lot, Tender


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0
    fields = ["number", "title", "estimated_value"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Tender)
class TenderAdmin(admin.ModelAdmin):
    list_display = ["title", "authority", "status", "submission_deadline", "bids_opened_at"]
    list_filter = ["status", "contract_type"]
    search_fields = ["title", "reference", "authority__name"]
    readonly_fields = [
        "authority",
        "status",
        "clarification_deadline",
        "submission_deadline",
        "published_at",
        "published_by",
        "closed_at",
        "bids_opened_at",
        "bids_opened_by",
        "minimum_weighting_percent",
        "minimum_weighting_basis",
        "created_by",
    ]
    fields = ["title", "reference", "description", *readonly_fields]
    inlines = [LotInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Changes go through the service's pages, which check who may act and write the audit.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    """Metadata only: that a bid exists, for which lot, from whom, and its receipt digest."""

    list_display = ["pk", "tender", "lot", "bidder", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["tender__title", "bidder__name"]
    fields = ["tender", "lot", "bidder", "status", "created_at", "submitted_at", "digest"]
    readonly_fields = fields

    def get_queryset(self, request):
        # .only() keeps the contents out of the admin's query as well as its pages.
        return (
            super()
            .get_queryset(request)
            .select_related("tender", "lot", "bidder")
            .only(
                "pk",
                "status",
                "created_at",
                "submitted_at",
                "digest",
                "tender__title",
                "tender__authority_id",
                "lot__number",
                "lot__title",
                "lot__tender_id",
                "bidder__name",
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Clarification)
class ClarificationAdmin(admin.ModelAdmin):
    list_display = ["pk", "tender", "asked_at", "answered_at", "published_at"]
    readonly_fields = [f.name for f in Clarification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(LocalMinimumWeighting)
class LocalMinimumWeightingAdmin(admin.ModelAdmin):
    list_display = ["authority", "title", "percent", "starts", "ends"]
    readonly_fields = ["recorded_by", "recorded_at"]
