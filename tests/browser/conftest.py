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
