"""A visitor filters the news by neighbourhood without JavaScript tricks, and switches a news item to Dutch."""

import pytest

from home.demo import ensure_home_pages
from tests.browser.axe import assert_accessible
from tests.home.factories import build_news_site


@pytest.fixture
def news_site(site_url):
    return build_news_site(ensure_home_pages())


def test_visitor_filters_the_news_by_neighbourhood(news_site, page, site_url):
    page.goto(site_url + "/fr/actualites/")
    assert_accessible(page)
    page.locator("#id_neighbourhood").select_option("peterbos")
    page.locator(".news-filter button[type=submit]").click()
    page.wait_for_url("**neighbourhood=peterbos**")
    titles = page.locator(".news-card__title").all_inner_texts()
    assert "Peterbos : les ascenseurs du bloc 9 réparés" in titles
    assert "Un nouveau bureau d'accueil" in titles  # company-wide news concern every neighbourhood
    assert "Un potager collectif s'ouvre rue Haute" not in titles
    assert_accessible(page)


def test_visitor_switches_a_news_item_from_french_to_dutch_and_lands_on_its_translation(
    news_site, page, site_url
):
    page.goto(site_url + news_site["garden"].url)
    page.locator(".language-switch a[lang=nl]").click()
    page.wait_for_url("**/nl/nieuws/moestuin/")
    assert page.locator("h1").inner_text() == "Een gemeenschappelijke moestuin in de Hoogstraat"
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page)
