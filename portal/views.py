"""Site-wide views: error pages, rate-limit refusal, language switch, health check, the admin's login address."""

from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.views.account import LogoutView as WagtailLogoutView


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


def admin_login(request: HttpRequest) -> HttpResponseRedirect:
    """/admin/login/ (Wagtail's password-only form) leads to the portal's login, which asks staff for their second
    factor (`portal.accounts.two_factor`); `next` is kept. Nothing posted here is read."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("wagtailadmin_home")
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


@require_POST
def admin_logout(request: HttpRequest) -> HttpResponse:
    """/admin/logout/: Wagtail's logout, for a POST only (a link or an image must not log a staff member out)."""
    return WagtailLogoutView.as_view()(request)


@require_GET
def switch_language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """The language switch: a plain link that remembers the choice (language cookie) and leads to `next` in that
    language (Django's `set_language` wants a POST with a CSRF token, which would keep every page out of the page
    cache). `next` is the translated page when the switch knows it, else an address whose prefix is swapped here."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = translate_url(target, code)
    else:
        target = f"/{code}/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer and `make run`: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
