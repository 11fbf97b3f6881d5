"""Project call tests read English screens (URLs reversed with /en/) unless a test asks for another language."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
