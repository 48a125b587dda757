"""URLs of tenders and bids (included at /tenders/ by socialvalue/urls.py)."""

from django.urls import path

from tenders import views

urlpatterns = [
    path("", views.tender_list, name="tender-list"),
    path("new/", views.tender_create, name="tender-create"),
    path("opportunities/", views.opportunities, name="tender-opportunities"),
    path("my-bids/", views.my_bids, name="bid-list"),
    path("policy/<slug:slug>/", views.local_minimum_page, name="tender-policy"),
    path("<int:pk>/", views.tender_detail, name="tender-detail"),
    path("<int:pk>/edit/", views.tender_edit, name="tender-edit"),
    path("<int:pk>/publish/", views.tender_publish, name="tender-publish"),
    path("<int:pk>/amend/", views.tender_amend, name="tender-amend"),
    path("<int:pk>/open-bids/", views.tender_open_bids, name="tender-open-bids"),
    path("<int:pk>/bids/", views.tender_bids, name="tender-bids"),
    path("<int:pk>/move/<slug:action>/", views.tender_transition, name="tender-transition"),
    path("<int:pk>/lots/add/", views.lot_add, name="tender-lot-add"),
    path("<int:pk>/documents/add/", views.document_add, name="tender-document-add"),
    path("<int:pk>/questions/", views.clarifications, name="tender-clarifications"),
    path(
        "questions/<int:pk>/answer/", views.clarification_answer, name="tender-clarification-answer"
    ),
    path("documents/<int:pk>/", views.document_download, name="tender-document"),
    path("lots/<int:pk>/edit/", views.lot_edit, name="tender-lot-edit"),
    path("lots/<int:pk>/criteria/", views.criteria_page, name="tender-criteria"),
    path("lots/<int:pk>/criteria/add/", views.criterion_add, name="tender-criterion-add"),
    path("lots/<int:pk>/weights/", views.weights_page, name="tender-weights"),
    path("lots/<int:pk>/bid/", views.bid_start, name="bid-start"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="tender-criterion-edit"),
    path("bids/<int:pk>/", views.bid_detail, name="bid-detail"),
    path("bids/<int:pk>/edit/", views.bid_edit, name="bid-edit"),
    path("bids/<int:pk>/submit/", views.bid_submit, name="bid-submit"),
    path("bids/<int:pk>/withdraw/", views.bid_withdraw, name="bid-withdraw"),
    path("bids/<int:pk>/commitments/add/", views.commitment_add, name="bid-commitment-add"),
    path("commitments/<int:pk>/remove/", views.commitment_remove, name="bid-commitment-remove"),
    path("bids/<int:pk>/attachments/add/", views.attachment_add, name="bid-attachment-add"),
    path("attachments/<int:pk>/", views.attachment_download, name="bid-attachment"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="bid-attachment-remove"),
]
