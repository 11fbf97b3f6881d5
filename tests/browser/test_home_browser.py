"""A visitor reads the home page and opens a news item; the layout holds at 320 px wide."""

import pytest

from home.demo import ensure_home_pages
from tests.browser.axe import assert_accessible
from tests.home.factories import build_news_site


@pytest.fixture
def news_site(site_url):
    return build_news_site(ensure_home_pages())


def test_visitor_reads_the_home_page_and_opens_a_news_item(news_site, page, site_url):
    page.goto(site_url + "/fr/")
    assert_accessible(page)
    page.get_by_role("link", name="Un potager collectif s'ouvre rue Haute").click()
    page.wait_for_url("**/fr/actualites/**")
    assert page.locator("h1").inner_text() == "Un potager collectif s'ouvre rue Haute"
    assert page.locator("figure img").get_attribute("alt") == "Des bacs de légumes dans la cour"
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/fr/", "/fr/actualites/?neighbourhood=marolles", "garden"])
def test_pages_have_no_horizontal_scrollbar_at_320_px(news_site, page, site_url, path):
    page.set_viewport_size({"width": 320, "height": 640})
    url = news_site["garden"].url if path == "garden" else path
    page.goto(site_url + url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.evaluate("document.body.scrollWidth") <= 320
    assert_accessible(page)
