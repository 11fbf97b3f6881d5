"""Browser tests run Playwright against pytest-django's live_server, in real transactions."""

import pytest


def pytest_collection_modifyitems(items):
    """Every browser test is marked `browser` and runs in real transactions with serialized rollback, so the
    rows that migrations create (role groups, Wagtail's root page) are restored for the tests that follow."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


@pytest.fixture
def site_url(live_server, transactional_db):
    """Base URL of the live server with the language trees set up (FR default, NL, EN)."""
    from home.demo import ensure_home_pages

    ensure_home_pages()
    return live_server.url
