"""URLs of tenders and bids (included at /tenders/ by socialvalue/urls.py)."""

from django.urls import path

from tenders.views import authority, bidder, criteria, shared

urlpatterns = [
    path("", authority.tender_list, name="tender-list"),
    path("new/", authority.tender_create, name="tender-create"),
    path("opportunities/", bidder.opportunities, name="tender-opportunities"),
    path("my-bids/", bidder.my_bids, name="bid-list"),
    path("policy/<slug:slug>/", authority.local_minimum_page, name="tender-policy"),
    path("<int:pk>/", shared.tender_detail, name="tender-detail"),
    path("<int:pk>/edit/", authority.tender_edit, name="tender-edit"),
    path("<int:pk>/publish/", authority.tender_publish, name="tender-publish"),
    path("<int:pk>/amend/", authority.tender_amend, name="tender-amend"),
    path("<int:pk>/open-bids/", authority.tender_open_bids, name="tender-open-bids"),
    path("<int:pk>/bids/", authority.tender_bids, name="tender-bids"),
    path("<int:pk>/move/<slug:action>/", authority.tender_transition, name="tender-transition"),
    path("<int:pk>/lots/add/", criteria.lot_add, name="tender-lot-add"),
    path("<int:pk>/documents/add/", authority.document_add, name="tender-document-add"),
    path("<int:pk>/questions/", shared.clarifications, name="tender-clarifications"),
    path(
        "questions/<int:pk>/answer/",
        authority.clarification_answer,
        name="tender-clarification-answer",
    ),
    path("documents/<int:pk>/", shared.document_download, name="tender-document"),
    path("lots/<int:pk>/edit/", criteria.lot_edit, name="tender-lot-edit"),
    path("lots/<int:pk>/criteria/", criteria.criteria_page, name="tender-criteria"),
    path("lots/<int:pk>/criteria/add/", criteria.criterion_add, name="tender-criterion-add"),
    path("lots/<int:pk>/weights/", criteria.weights_page, name="tender-weights"),
    path("lots/<int:pk>/bid/", bidder.bid_start, name="bid-start"),
    path("criteria/<int:pk>/edit/", criteria.criterion_edit, name="tender-criterion-edit"),
    path("bids/<int:pk>/", shared.bid_detail, name="bid-detail"),
    path("bids/<int:pk>/edit/", bidder.bid_edit, name="bid-edit"),
    path("bids/<int:pk>/submit/", bidder.bid_submit, name="bid-submit"),
    path("bids/<int:pk>/withdraw/", bidder.bid_withdraw, name="bid-withdraw"),
    path("bids/<int:pk>/commitments/add/", bidder.commitment_add, name="bid-commitment-add"),
    path("commitments/<int:pk>/remove/", bidder.commitment_remove, name="bid-commitment-remove"),
    path("bids/<int:pk>/attachments/add/", bidder.attachment_add, name="bid-attachment-add"),
    path("attachments/<int:pk>/", shared.attachment_download, name="bid-attachment"),
    path("attachments/<int:pk>/remove/", bidder.attachment_remove, name="bid-attachment-remove"),
]
