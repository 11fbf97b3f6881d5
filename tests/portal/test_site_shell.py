"""The site shell: health check, language prefixes, styled error pages."""

import pytest

pytestmark = pytest.mark.django_db


def test_health_check_answers_ok_when_database_is_up(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_root_redirects_to_a_language_prefix(client, home_pages):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 302
    assert response["Location"] == "/nl/"


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fr", "Page introuvable"), ("nl", "Pagina niet gevonden"), ("en", "Page not found")],
)
def test_unknown_address_gives_a_styled_translated_404(client, home_pages, language, heading):
    response = client.get(f"/{language}/this-page-does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert heading in html
    assert "site.css" in html
    assert "Traceback" not in html


@pytest.mark.parametrize(
    ("language", "brand"),
    [("fr", "Portail des locataires"), ("nl", "Huurdersportaal"), ("en", "Tenant portal")],
)
def test_the_site_name_in_the_header_speaks_the_visitors_language(client, home_pages, language, brand):
    html = client.get(f"/{language}/").content.decode()
    assert f'class="site-header__brand" href="/{language}/">{brand}</a>' in html
