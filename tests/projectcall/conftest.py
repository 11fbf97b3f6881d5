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
