"""The home page: latest news (the visitor's neighbourhood first), the other apps' slots, its query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import hooks

from home.selectors import SESSION_KEY
from tests.home.factories import make_image, make_news, make_tenant, make_user

pytestmark = pytest.mark.django_db


def _titles_in_order(html: str, titles: list[str]) -> list[str]:
    return sorted((title for title in titles if title in html), key=html.index)


def test_home_page_shows_the_latest_news_and_a_link_to_all_news(client, news_index):
    for day in range(1, 9):
        make_news(news_index, f"News of day {day}", date=datetime.date(2026, 2, day))
    html = client.get("/fr/").content.decode()
    assert "News of day 8" in html and "News of day 3" in html
    assert "News of day 2" not in html  # six items at most
    assert 'href="/fr/actualites/"' in html


def test_a_logged_in_tenant_sees_the_news_of_their_neighbourhood_first(
    client, news_index, marolles, peterbos
):
    make_news(news_index, "Peterbos lifts", neighbourhoods=[peterbos], date=datetime.date(2026, 1, 2))
    make_news(news_index, "Marolles garden", neighbourhoods=[marolles], date=datetime.date(2026, 1, 1))
    make_news(news_index, "Office moves", date=datetime.date(2026, 1, 3))
    user = make_user()
    make_tenant(peterbos, user=user)
    client.force_login(user)
    html = client.get("/fr/").content.decode()
    assert _titles_in_order(html, ["Peterbos lifts", "Marolles garden", "Office moves"]) == [
        "Peterbos lifts",
        "Office moves",
        "Marolles garden",
    ]


def test_a_visitor_who_filtered_by_a_neighbourhood_sees_its_news_first(
    client, news_index, marolles, peterbos
):
    make_news(news_index, "Marolles garden", neighbourhoods=[marolles], date=datetime.date(2026, 1, 1))
    make_news(news_index, "Peterbos lifts", neighbourhoods=[peterbos], date=datetime.date(2026, 1, 2))
    client.get("/fr/actualites/", {"neighbourhood": "marolles"})
    assert client.session[SESSION_KEY] == "marolles"
    html = client.get("/fr/").content.decode()
    assert _titles_in_order(html, ["Marolles garden", "Peterbos lifts"]) == [
        "Marolles garden",
        "Peterbos lifts",
    ]


def test_without_a_known_neighbourhood_the_newest_news_come_first(client, news_index, marolles, peterbos):
    make_news(news_index, "Marolles garden", neighbourhoods=[marolles], date=datetime.date(2026, 1, 1))
    make_news(news_index, "Peterbos lifts", neighbourhoods=[peterbos], date=datetime.date(2026, 1, 2))
    html = client.get("/fr/").content.decode()
    assert _titles_in_order(html, ["Marolles garden", "Peterbos lifts"]) == [
        "Peterbos lifts",
        "Marolles garden",
    ]


def test_home_page_renders_the_slots_of_other_apps_in_order_and_skips_empty_ones(
    client, home_pages, tmp_path, settings
):
    (tmp_path / "slot.html").write_text(
        '<section class="card home-slot"><h2>{{ heading }}</h2>{{ page.title }}</section>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]

    def meeting(request, page):
        return {"order": 20, "template": "slot.html", "context": {"heading": "Next tenant meeting"}}

    def election(request, page):
        return {"order": 10, "template": "slot.html", "context": {"heading": "Advisory council election"}}

    def nothing(request, page):
        return None

    with (
        hooks.register_temporarily("portal_home_slots", meeting),
        hooks.register_temporarily("portal_home_slots", election),
        hooks.register_temporarily("portal_home_slots", nothing),
    ):
        html = client.get("/fr/").content.decode()
    assert html.index("Advisory council election") < html.index("Next tenant meeting")
    assert "<h2>Next tenant meeting</h2>Portail des locataires</section>" in html


def test_home_page_query_count_does_not_grow_with_the_number_of_news(client, news_index, marolles, peterbos):
    images = [make_image(f"Picture {n}") for n in range(3)]
    user = make_user()
    make_tenant(peterbos, user=user)
    client.force_login(user)

    def add(count: int) -> None:
        for n in range(count):
            make_news(news_index, neighbourhoods=[marolles, peterbos][: n % 3], image=images[n % 3])

    def count() -> int:
        client.get("/fr/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/fr/").status_code == 200
        return len(queries)

    add(5)
    few = count()
    add(45)
    assert count() == few
