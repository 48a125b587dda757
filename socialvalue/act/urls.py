"""URLs of the Social Value Act check (included by socialvalue/urls.py at /act/)."""

from django.urls import path

from socialvalue.act import views as act_views

urlpatterns = [
    path("", act_views.contract_list, name="act-list"),
    path("contracts/new/", act_views.contract_add, name="act-contract-add"),
    path("contracts/<int:pk>/", act_views.contract_detail, name="act-contract"),
    path("contracts/<int:pk>/check/", act_views.check, name="act-check"),
    path("contracts/<int:pk>/record/", act_views.record, name="act-record"),
    path("checks/<int:pk>/", act_views.assessment_detail, name="act-assessment"),
]
