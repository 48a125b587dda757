"""URLs of delivery measurement (at /delivery/)."""

from django.urls import path

from measurement.delivery import totals_views, views, views_at_risk

urlpatterns = [
    path("", views.index, name="delivery-index"),
    path("totals/", totals_views.authority_totals, name="delivery-totals"),
    path(
        "authorities/<int:pk>/publication/",
        totals_views.publication,
        name="delivery-publication",
    ),
    path("public/<slug:slug>/", totals_views.public_summary, name="delivery-public"),
    path("evidence/", views.evidence_library, name="delivery-evidence"),
    path("contracts/<int:pk>/", views.contract_page, name="delivery-contract"),
    path("contracts/<int:pk>/chart.svg", views.contract_chart, name="delivery-contract-chart"),
    path("contracts/<int:pk>/schedule/", views.schedule_create, name="delivery-schedule-create"),
    path("contracts/<int:pk>/assumptions/", views.assumptions, name="delivery-assumptions"),
    path("contracts/<int:pk>/remedies/add/", views_at_risk.remedy_add, name="delivery-remedy-add"),
    path(
        "remedies/<int:pk>/outcome/", views_at_risk.remedy_outcome, name="delivery-remedy-outcome"
    ),
    path(
        "contracts/<int:pk>/failures/add/", views_at_risk.failure_add, name="delivery-failure-add"
    ),
    path(
        "returns/<int:pk>/accept-others/",
        views_at_risk.accept_unsampled,
        name="delivery-accept-unsampled",
    ),
    path("periods/<int:pk>/return/", views.return_page, name="delivery-return"),
    path("lines/<int:pk>/decide/", views.line_decide, name="delivery-line-decide"),
    path("lines/<int:pk>/answer/", views.query_answer, name="delivery-query-answer"),
]
