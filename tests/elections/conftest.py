import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; with a frozen clock they would carry over between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def run_tasks(run_tasks, monkeypatch):
    """The shared `run_tasks`, with the worker keeping the test's connection (its close_old_connections() would
    drop the connection holding the test transaction; same approach as tests/portal's notification tests)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return run_tasks


@pytest.fixture(autouse=True)
def _english(request):
    """Service messages are asserted in English (the source language), whatever catalogs are compiled. Browser
    tests (tests/browser) keep the language of the URL they visit."""
    from django.utils import translation

    with translation.override("en"):
        yield
