"""The language switch leads to the translated page when there is one, else to that language's home page."""

import re

import pytest

from tests.home.factories import make_news, translate_page

pytestmark = pytest.mark.django_db


def _switch_targets(html: str) -> dict[str, str]:
    return dict(re.findall(r'href="/language/(fr|nl|en)/\?next=([^"]+)" lang="\1"', html))


@pytest.fixture
def translated_news(news_index):
    nl_index = translate_page(news_index, "nl", title="Nieuws", slug="nieuws")
    fr_page = make_news(news_index, "Potager collectif")
    nl_page = translate_page(fr_page, "nl", title="Gemeenschappelijke moestuin", slug="moestuin")
    return fr_page, nl_page, nl_index


def test_switch_on_a_news_page_points_to_its_translation_or_the_home_page(client, translated_news):
    fr_page, nl_page, _ = translated_news
    targets = _switch_targets(client.get(fr_page.url).content.decode())
    assert targets == {"fr": fr_page.url, "nl": "/nl/nieuws/moestuin/", "en": "/en/"}


def test_choosing_dutch_on_a_french_news_page_lands_on_the_dutch_translation(client, translated_news):
    fr_page, nl_page, _ = translated_news
    response = client.get("/language/nl/?next=/nl/nieuws/moestuin/")
    assert response.status_code == 302
    assert response["Location"] == "/nl/nieuws/moestuin/"
    assert (
        response.cookies["django_language"].value == "nl"
    )  # remembered for the next visit to the bare address
    assert "Gemeenschappelijke moestuin" in client.get(response["Location"]).content.decode()


def test_switch_keeps_the_neighbourhood_filter_of_the_news_list(client, translated_news, marolles):
    html = client.get("/fr/actualites/", {"neighbourhood": "marolles"}).content.decode()
    assert _switch_targets(html)["nl"] == "/nl/nieuws/%3Fneighbourhood%3Dmarolles"


def test_an_unpublished_translation_is_not_offered(client, news_index):
    translate_page(news_index, "nl", title="Nieuws", slug="nieuws")
    fr_page = make_news(news_index, "Potager collectif")
    fr_page.copy_for_translation(fr_page.locale.__class__.objects.get(language_code="nl"))  # a draft
    assert _switch_targets(client.get(fr_page.url).content.decode())["nl"] == "/nl/"


def test_switch_on_a_page_outside_wagtail_swaps_the_language_prefix(client, home_pages):
    response = client.get("/language/nl/?next=/fr/accounts/login/")
    assert response["Location"] == "/nl/accounts/login/"


def test_the_remembered_language_leads_the_bare_address_to_that_home_page(client, home_pages):
    client.get("/language/nl/?next=/fr/")
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == "/nl/"


def test_switch_refuses_to_lead_to_another_site_or_an_unknown_language(client, home_pages):
    assert client.get("/language/nl/?next=https://evil.example/")["Location"] == "/nl/"
    assert client.get("/language/de/?next=/fr/", follow=True).status_code == 404
    assert client.post("/language/nl/?next=/fr/").status_code == 405


def test_menu_links_to_the_news_index_of_the_current_language(client, translated_news):
    assert 'href="/nl/nieuws/"' in client.get("/nl/").content.decode()
    assert 'href="/fr/actualites/"' in client.get("/fr/").content.decode()


def test_a_translated_page_announces_its_translations_to_browsers_and_search_engines(client, translated_news):
    fr_page, _nl_page, _ = translated_news
    html = client.get(fr_page.url).content.decode()
    assert '<link rel="alternate" hreflang="nl" href="/nl/nieuws/moestuin/">' in html
    assert 'hreflang="en"' not in html
