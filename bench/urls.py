from django.shortcuts import render
from django.urls import path

from mentoring.urls import urlpatterns as site_urlpatterns


def baseline(request):
    """The floor: a small template, no database; served by the same server in the same run."""
    rows = [{"name": f"Zeile {n}", "value": n} for n in range(5)]
    return render(request, "bench/baseline.html", {"title": "Baseline", "rows": rows})


urlpatterns = [path("bench/baseline/", baseline), *site_urlpatterns]
