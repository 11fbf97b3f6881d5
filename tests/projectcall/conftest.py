"""Project call tests read English screens (URLs reversed with /en/) unless a test asks for another language."""

import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """English screens, and an empty cache (Wagtail caches the site root paths, which differ between tests)."""
    cache.clear()
    with translation.override("en"):
        yield


@pytest.fixture
def run_tasks(run_tasks, monkeypatch):
    """The shared `run_tasks`, usable inside a test transaction: the worker's `close_old_connections()` would
    close the test's connection (it is inside an atomic block), so it is made a no-op for the test."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    return run_tasks


@pytest.fixture
def home_pages(db):
    """The shared `home_pages`, also on a database an earlier transactional test flushed."""
    from home.demo import ensure_home_pages

    from .factories import ensure_root_page

    ensure_root_page()
    return ensure_home_pages()
