"""Browser tests run Playwright against pytest-django's live_server, in real transactions."""

import pytest


def pytest_collection_modifyitems(items):
    """Every browser test is marked `browser` and runs in real transactions (the live server has its own
    connection); `site_url` restores the migration data a previous one flushed away."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True), append=False)


@pytest.fixture
def site_url(live_server, transactional_db, restore_migration_data):
    """Base URL of the live server with the language trees set up (FR default, NL, EN)."""
    from home.demo import ensure_home_pages

    ensure_home_pages()
    return live_server.url


@pytest.fixture(autouse=True)
def no_content_security_policy_violations(request):
    """Every browser test fails if the page reports a Content-Security-Policy violation (a blocked script,
    style or frame): the pages must work under the site's policy (portal/csp.py)."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield violations
    if not getattr(request.node, "allows_csp_violations", False):
        assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
