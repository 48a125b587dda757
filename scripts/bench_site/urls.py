"""Every route of the project, plus /bench/reference/: the base template with a 50-row table
from one indexed query (the newest tenders by primary key), the yardstick for every page."""

from django.shortcuts import render
from django.urls import include, path

from tenders.models import Tender


def reference(request):
    rows = Tender.objects.order_by("-pk").values("pk", "reference", "title", "estimated_value")[:50]
    return render(request, "bench/reference.html", {"rows": rows})


urlpatterns = [
    path("bench/reference/", reference),
    path("", include("socialvalue.urls")),
]
