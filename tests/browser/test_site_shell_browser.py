"""A visitor reaches the site shell in a real browser."""

from tests.browser.axe import assert_accessible


def test_visitor_sees_the_home_page_with_a_skip_link_and_no_serious_accessibility_problem(page, site_url):
    page.goto(site_url + "/fr/")
    assert page.locator("h1").first.inner_text() == "Portail des locataires"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu principal"
    assert_accessible(page)


def test_an_inline_script_slipped_into_a_page_does_not_run(page, site_url, request):
    """The policy itself: an inline script (what an injection would add) is refused by the browser on site pages."""
    request.node.allows_csp_violations = True
    page.goto(site_url + "/fr/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
            const img = document.createElement("img");
            img.setAttribute("onerror", "window.handler = true");
            img.src = "/missing.png";
            document.body.appendChild(img);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.injected === undefined && window.handler === undefined")
