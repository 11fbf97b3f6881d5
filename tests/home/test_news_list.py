"""The news list: filter by neighbourhood (GET, no JavaScript), search, pagination, scheduled publishing."""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.rich_text import RichText

from home.selectors import SESSION_KEY
from tests.home.factories import index_for_search, make_image, make_news

pytestmark = pytest.mark.django_db


def test_news_list_shows_published_news_newest_first(client, news_index):
    make_news(news_index, "Older news", date=datetime.date(2026, 1, 5))
    make_news(news_index, "Newer news", date=datetime.date(2026, 3, 5))
    make_news(news_index, "Draft news", publish=False)
    html = client.get("/fr/actualites/").content.decode()
    assert html.index("Newer news") < html.index("Older news")
    assert "Draft news" not in html


def test_filtering_by_neighbourhood_shows_its_news_and_company_wide_news_only(
    client, news_index, marolles, peterbos
):
    make_news(news_index, "Garden in Les Marolles", neighbourhoods=[marolles])
    make_news(news_index, "Lifts at Peterbos", neighbourhoods=[peterbos])
    make_news(news_index, "New tenant office for everybody")
    response = client.get("/fr/actualites/", {"neighbourhood": "marolles"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Garden in Les Marolles" in html
    assert "New tenant office for everybody" in html
    assert "Lifts at Peterbos" not in html
    assert '<option value="marolles" selected>' in html


def test_filtering_remembers_the_neighbourhood_for_the_home_page(client, news_index, marolles):
    client.get("/fr/actualites/", {"neighbourhood": "marolles"})
    assert client.session[SESSION_KEY] == "marolles"


def test_unknown_neighbourhood_shows_a_message_next_to_the_field_and_all_news(client, news_index, marolles):
    make_news(news_index, "Garden in Les Marolles", neighbourhoods=[marolles])
    response = client.get("/fr/actualites/", {"neighbourhood": "atlantis"}, HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist' in html
    assert "Garden in Les Marolles" in html


def test_news_list_is_paginated_and_keeps_the_filter_in_page_links(client, news_index, marolles):
    for day in range(1, 13):
        make_news(
            news_index,
            f"Marolles news {day:02d}",
            neighbourhoods=[marolles],
            date=datetime.date(2026, 1, day),
        )
    first = client.get("/fr/actualites/", {"neighbourhood": "marolles"}).content.decode()
    assert "Marolles news 12" in first
    assert "Marolles news 02" not in first
    assert "?neighbourhood=marolles&amp;page=2" in first
    second = client.get("/fr/actualites/", {"neighbourhood": "marolles", "page": 2}).content.decode()
    assert "Marolles news 02" in second and "Marolles news 01" in second
    assert "Marolles news 12" not in second


def test_a_long_news_list_offers_a_few_page_links_around_the_current_page(client, news_index):
    for number in range(120):  # twelve pages of ten
        make_news(
            news_index, f"News {number:03d}", date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number)
        )
    html = client.get("/fr/actualites/", {"page": 6}).content.decode()
    pager = html[html.index('class="pagination"') :]
    pager = pager[: pager.index("</ul>")]
    assert set(re.findall(r"page=(\d+)\"", pager)) == {"1", "4", "5", "7", "8", "12"}  # and previous / next
    assert pager.count("…") == 2
    assert '<span aria-current="page">6</span>' in pager


def test_a_page_number_out_of_range_shows_the_last_page_rather_than_an_error(client, news_index):
    make_news(news_index, "Only news")
    response = client.get("/fr/actualites/", {"page": "999"})
    assert response.status_code == 200
    assert "Only news" in response.content.decode()


def test_search_finds_news_by_words_of_their_lead_and_body(client, news_index):
    index_for_search(
        make_news(news_index, "Lift repairs", lead="The lifts of block 9 will be repaired."),
        make_news(news_index, "Garden", lead="Tomatoes and beans in the courtyard."),
        make_news(news_index, "Party", body=[("paragraph", RichText("<p>Bring a dish of couscous.</p>"))]),
    )
    html = client.get("/fr/actualites/", {"q": "tomatoes"}).content.decode()
    assert "Garden" in html
    assert "Lift repairs" not in html
    assert "Party" in client.get("/fr/actualites/", {"q": "couscous"}).content.decode()


def test_search_combines_with_the_neighbourhood_filter(client, news_index, marolles, peterbos):
    index_for_search(
        make_news(news_index, "Marolles party", lead="A party with music.", neighbourhoods=[marolles]),
        make_news(news_index, "Peterbos party", lead="A party with music.", neighbourhoods=[peterbos]),
    )
    html = client.get("/fr/actualites/", {"q": "music", "neighbourhood": "peterbos"}).content.decode()
    assert "Peterbos party" in html
    assert "Marolles party" not in html


def test_scheduled_news_appears_only_once_its_go_live_date_has_passed(client, news_index):
    go_live = timezone.now() + datetime.timedelta(days=2)
    page = make_news(news_index, "Summer party announced", go_live_at=go_live)
    page.refresh_from_db()
    assert not page.live
    assert "Summer party announced" not in client.get("/fr/actualites/").content.decode()
    with time_machine.travel(go_live + datetime.timedelta(minutes=5)):
        call_command("publish_scheduled", verbosity=0)
    assert "Summer party announced" in client.get("/fr/actualites/").content.decode()


def _count_queries(client, url: str) -> int:
    client.get(url)  # renditions are created on the first view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_news_list_query_count_does_not_grow_with_the_number_of_news(client, news_index, marolles, peterbos):
    images = [make_image(f"Picture {n}") for n in range(3)]

    def add(count: int) -> None:
        for n in range(count):
            make_news(news_index, neighbourhoods=[marolles, peterbos][: n % 3], image=images[n % 3])

    add(5)
    few_filtered = _count_queries(client, "/fr/actualites/?neighbourhood=marolles")
    few = _count_queries(client, "/fr/actualites/")
    add(45)
    assert _count_queries(client, "/fr/actualites/?neighbourhood=marolles") == few_filtered
    assert _count_queries(client, "/fr/actualites/") == few
    assert few <= 20
