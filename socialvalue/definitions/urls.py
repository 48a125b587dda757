"""URLs of local social value definitions and the public market statement (at /definitions/)."""

from django.urls import path

from socialvalue.definitions import views

urlpatterns = [
    path("", views.definition_list, name="definition-list"),
    path("new/", views.definition_create, name="definition-create"),
    path("<int:pk>/", views.definition_detail, name="definition-detail"),
    path("<int:pk>/edit/", views.definition_edit, name="definition-edit"),
    path("<int:pk>/submit/", views.definition_submit, name="definition-submit"),
    path("<int:pk>/return-to-draft/", views.definition_return, name="definition-return"),
    path("<int:pk>/adopt/", views.definition_adopt, name="definition-adopt"),
    path("<int:pk>/new-version/", views.definition_new_version, name="definition-new-version"),
    path("<int:pk>/priorities/add/", views.priority_add, name="definition-priority-add"),
    path("priorities/<int:pk>/", views.priority_detail, name="definition-priority"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="definition-priority-edit"),
    path("priorities/<int:pk>/remove/", views.priority_remove, name="definition-priority-remove"),
    path("priorities/<int:pk>/move/", views.priority_move, name="definition-priority-move"),
    path(
        "priorities/<int:pk>/measures/",
        views.priority_measures,
        name="definition-priority-measures",
    ),
    path("targets/<int:pk>/", views.priority_target, name="definition-target"),
    # Public, no sign-in: the stable address bidders are given.
    path("market-statement/", views.market_index, name="definition-market-index"),
    path(
        "market-statement/<slug:slug>/", views.market_statement, name="definition-market-statement"
    ),
    path(
        "market-statement/<slug:slug>/print/",
        views.market_statement_print,
        name="definition-market-statement-print",
    ),
]
