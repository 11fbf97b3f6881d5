"""The Content-Security-Policy: inline scripts only with the response's nonce, outside the admin (portal/csp.py)."""

import re

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from portal import page_cache
from portal.csp import PortalCSPMiddleware

pytestmark = pytest.mark.django_db


def script_src(header: str) -> str:
    return re.search(r"script-src ([^;]*)", header).group(1)


@pytest.mark.parametrize("url", ["/fr/", "/nl/meetings/", "/en/accounts/login/", "/fr/projects/gallery/"])
def test_site_pages_allow_scripts_from_the_site_only(client, home_pages, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert script_src(response["Content-Security-Policy"]) == "'self'"


def test_an_inline_script_runs_only_with_the_nonce_of_its_response():
    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">go()</script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    middleware = PortalCSPMiddleware(view)
    headers = []
    for _ in range(2):
        request = RequestFactory().get("/fr/")
        middleware.process_request(request)
        response = middleware.process_response(request, view(request))
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert script_src(response["Content-Security-Policy"]) == f"'self' 'nonce-{nonce}'"
        headers.append(nonce)
    assert headers[0] != headers[1]


def test_the_admin_has_its_own_policy_for_wagtails_inline_scripts(client):
    from tests.portal.accounts_factories import make_user

    client.force_login(make_user(superuser=True))
    response = client.get("/admin/")
    assert script_src(response["Content-Security-Policy"]) == "'self' 'unsafe-inline'"


def test_the_page_cache_never_replays_a_nonce():
    request = RequestFactory().get("/fr/")
    response = HttpResponse("<p>page</p>")
    response["Content-Security-Policy"] = "script-src 'self' 'nonce-abc'"
    assert not page_cache._storable(request, response)
    response["Content-Security-Policy"] = "script-src 'self'"
    assert page_cache._storable(request, response)
