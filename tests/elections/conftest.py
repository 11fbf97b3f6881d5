import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; with a frozen clock they would carry over between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
