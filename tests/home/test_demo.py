"""The demo data: news indexes per language linked as translations, news in FR/NL/EN, idempotent."""

import io

import pytest
from wagtail.images import get_image_model

from home import demo as home_demo
from home.models import NewsIndexPage, NewsPage
from portal import demo as portal_demo

pytestmark = pytest.mark.django_db


def test_demo_news_load_twice_without_creating_anything_new(client):
    out = io.StringIO()
    portal_demo.load(out)
    home_demo.load(out)
    counts = (NewsPage.objects.count(), NewsIndexPage.objects.count(), get_image_model().objects.count())
    home_demo.load(out)
    assert (
        NewsPage.objects.count(),
        NewsIndexPage.objects.count(),
        get_image_model().objects.count(),
    ) == counts

    fr_index = NewsIndexPage.objects.get(locale__language_code="fr")
    assert {index.locale.language_code for index in fr_index.get_translations()} == {"nl", "en"}
    assert NewsPage.objects.live().filter(locale__language_code="fr").count() >= 12
    assert NewsPage.objects.live().filter(locale__language_code="nl").count() >= 12
    assert NewsPage.objects.live().filter(locale__language_code="en").count() >= 3
    lifts = NewsPage.objects.get(slug="reparation-ascenseurs-peterbos")
    assert lifts.get_translation(lifts.locale.__class__.objects.get(language_code="nl")).title.startswith(
        "Peterbos"
    )
    assert [n.slug for n in lifts.neighbourhoods.all()] == ["peterbos"]
    assert all(page.image_alt for page in NewsPage.objects.filter(image__isnull=False))
    assert client.get("/nl/nieuws/").status_code == 200
    assert "Peterbos: liften van blok 9" in client.get("/nl/nieuws/").content.decode()
