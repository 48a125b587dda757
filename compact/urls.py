"""URLs of the Compact (at /compact/)."""

from django.urls import path

from compact import views

urlpatterns = [
    path("", views.compact_index, name="compact-index"),
    path("new/", views.local_compact_create, name="compact-local-create"),
    path("consultations/", views.consultations, name="compact-consultations"),
    path("consultations/new/", views.consultation_create, name="compact-consultation-create"),
    path("consultations/<int:pk>/", views.consultation, name="compact-consultation"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="compact-consultation-edit"),
    path(
        "consultations/<int:pk>/documents/add/",
        views.consultation_document_add,
        name="compact-consultation-document-add",
    ),
    path(
        "consultation-documents/<int:pk>/",
        views.consultation_document,
        name="compact-consultation-document",
    ),
    path(
        "consultations/<int:pk>/respond/",
        views.consultation_respond,
        name="compact-consultation-respond",
    ),
    path(
        "consultations/<int:pk>/responses/",
        views.consultation_responses,
        name="compact-consultation-responses",
    ),
    path(
        "consultations/<int:pk>/publish/",
        views.consultation_publish,
        name="compact-consultation-publish",
    ),
    path(
        "response-attachments/<int:pk>/",
        views.response_attachment,
        name="compact-response-attachment",
    ),
    path("decommissioning/", views.decommissioning_list, name="compact-decommissioning-list"),
    path(
        "decommissioning/new/",
        views.decommissioning_create,
        name="compact-decommissioning-create",
    ),
    path("decommissioning/<int:pk>/", views.decommissioning, name="compact-decommissioning"),
    path(
        "decommissioning/<int:pk>/comment/",
        views.decommissioning_comment,
        name="compact-decommissioning-comment",
    ),
    path("reviews/<int:pk>/", views.review, name="compact-review"),
    path("reviews/<int:pk>/comment/", views.review_comment, name="compact-review-comment"),
    path("reviews/<int:pk>/view/", views.review_group_view, name="compact-review-view"),
    path("reviews/<int:pk>/adopt/", views.review_adopt, name="compact-review-adopt"),
    path("reviews/<int:pk>/settings/", views.review_settings, name="compact-review-settings"),
    path("comments/<int:pk>/resolve/", views.comment_resolve, name="compact-comment-resolve"),
    path("strategies/<int:pk>/", views.strategy, name="compact-strategy"),
    path("strategies/<int:pk>/review/", views.strategy_review, name="compact-strategy-review"),
    path("signatories/<int:pk>/signed/", views.signatory_signed, name="compact-signatory-signed"),
    path("<slug:slug>/", views.local_compact, name="compact-local"),
    path("<slug:slug>/health/", views.health, name="compact-health"),
    path("<slug:slug>/signatories/add/", views.signatory_add, name="compact-signatory-add"),
    path("<slug:slug>/commitments/add/", views.commitment_add, name="compact-commitment-add"),
    path("<slug:slug>/members/add/", views.member_add, name="compact-member-add"),
    path("<slug:slug>/strategy/new/", views.strategy_create, name="compact-strategy-create"),
]
