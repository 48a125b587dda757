"""Admin site for tenders. Sealed bids: the admin shows that a bid exists, never what it says.

Bids are listed with their bidder, lot, status, submission time and digest only; their price,
answers, commitments and attachments are not registered here at all, before or after the
deadline. Contents are read through the service's pages, where the sealed rule applies. Like
every admin page (socialvalue.core.admin_base) these are read-only: tenders change only through
tenders.services.
"""

from django.contrib import admin

from socialvalue.core.admin_base import ReadOnlyAdmin, ReadOnlyInline
from tenders.models import Bid, Clarification, LocalMinimumWeighting, Lot, Tender


class LotInline(ReadOnlyInline):
    model = Lot
    fields = ["number", "title", "estimated_value"]


@admin.register(Tender)
class TenderAdmin(ReadOnlyAdmin):
    list_display = ["title", "authority", "status", "submission_deadline", "bids_opened_at"]
    list_filter = ["status", "contract_type"]
    search_fields = ["title", "reference", "authority__name"]
    fields = [
        "title",
        "reference",
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
    inlines = [LotInline]


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    """Metadata only: that a bid exists, for which lot, from whom, and its receipt digest."""

    list_display = ["pk", "tender", "lot", "bidder", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["tender__title", "bidder__name"]
    fields = ["tender", "lot", "bidder", "status", "created_at", "submitted_at", "digest"]

    def get_queryset(self, request):
        # .only() keeps the contents out of the admin's query as well as its pages, so the
        # sealed managers' rule has nothing to guard here.
        bids = Bid.objects.unscoped(reason="the admin shows that bids exist, never what they say")
        ordering = self.get_ordering(request)
        return (
            (bids.order_by(*ordering) if ordering else bids)
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


@admin.register(Clarification)
class ClarificationAdmin(ReadOnlyAdmin):
    """When questions were asked and answered; what a bidder asked stays between it and the
    authority (and the published wording on the tender's own page)."""

    list_display = ["pk", "tender", "asked_at", "answered_at", "published_at"]
    fields = ["tender", "asked_at", "answered_at", "published_at"]


@admin.register(LocalMinimumWeighting)
class LocalMinimumWeightingAdmin(ReadOnlyAdmin):
    list_display = ["authority", "title", "percent", "starts", "ends"]
    fields = ["authority", "title", "percent", "starts", "ends", "recorded_by", "recorded_at"]
