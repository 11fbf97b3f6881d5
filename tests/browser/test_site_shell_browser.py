"""A visitor reaches the site shell in a real browser."""

from tests.browser.axe import assert_accessible


def test_visitor_sees_the_home_page_with_a_skip_link_and_no_serious_accessibility_problem(page, site_url):
    page.goto(site_url + "/fr/")
    assert page.locator("h1").first.inner_text() == "Portail des locataires"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu principal"
    assert_accessible(page)
