import pytest

from tests.home.factories import make_neighbourhood, make_news_index


@pytest.fixture
def marolles(db):
    return make_neighbourhood("marolles", "Les Marolles", "De Marollen")


@pytest.fixture
def peterbos(db):
    return make_neighbourhood("peterbos", "Peterbos", "Peterbos")


@pytest.fixture
def news_index(home_pages):
    return make_news_index(home_pages["fr"])
