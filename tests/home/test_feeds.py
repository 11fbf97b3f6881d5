"""RSS and Atom feeds of the news, for all neighbourhoods and for one."""

import pytest

from tests.home.factories import make_news

pytestmark = pytest.mark.django_db


def test_rss_feed_lists_the_published_news_of_the_language(client, news_index, marolles):
    make_news(news_index, "Garden opens", lead="Twelve beds.", neighbourhoods=[marolles])
    make_news(news_index, "Draft item", publish=False)
    response = client.get("/fr/actualites/feed/")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "<title>Garden opens</title>" in body
    assert "Twelve beds." in body
    assert "/fr/actualites/news-" in body
    assert "<category>Les Marolles</category>" in body
    assert "Draft item" not in body


def test_neighbourhood_feed_leaves_out_other_neighbourhoods(client, news_index, marolles, peterbos):
    make_news(news_index, "Garden opens", neighbourhoods=[marolles])
    make_news(news_index, "Lifts repaired", neighbourhoods=[peterbos])
    make_news(news_index, "Office moves")
    body = client.get("/fr/actualites/feed/marolles/").content.decode()
    assert "Garden opens" in body and "Office moves" in body
    assert "Lifts repaired" not in body


def test_atom_feed_is_served_as_atom(client, news_index, marolles):
    make_news(news_index, "Garden opens", neighbourhoods=[marolles])
    response = client.get("/fr/actualites/atom/marolles/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Garden opens" in response.content.decode()


def test_feed_of_an_unknown_neighbourhood_is_not_found(client, news_index):
    assert client.get("/fr/actualites/feed/atlantis/").status_code == 404


def test_news_list_advertises_its_feeds(client, news_index, marolles):
    html = client.get("/fr/actualites/", {"neighbourhood": "marolles"}).content.decode()
    assert 'type="application/rss+xml"' in html
    assert 'href="/fr/actualites/feed/marolles/"' in html
