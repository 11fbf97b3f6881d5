import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; with a frozen clock they would carry over between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english(request):
    """Service messages are asserted in English (the source language), whatever catalogs are compiled. Browser
    tests (tests/browser) keep the language of the URL they visit."""
    from django.utils import translation

    with translation.override("en"):
        yield
