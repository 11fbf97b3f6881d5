"""Site-wide views: error pages, rate-limit refusal, health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without a RequestContext on purpose: the failure may come from a context processor.
    return render(request, "500.html", status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def ratelimited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """django-ratelimit's refusal: a readable 429 page rather than a bare 403."""
    return render(request, "429.html", status=429)


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer and `make run`: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
