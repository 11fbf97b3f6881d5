"""Factory functions for news tests: neighbourhoods, tenants, users in role groups, news pages and images."""

from __future__ import annotations

import datetime
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale
from wagtail.rich_text import RichText

from home.models import HomePage, NewsIndexPage, NewsPage
from portal.models import Neighbourhood, Person
from tests.factories import register


def make_neighbourhood(slug: str, name_fr: str | None = None, name_nl: str | None = None) -> Neighbourhood:
    name_fr = name_fr or slug.title()
    return register.neighbourhood(slug, name_fr=name_fr, name_nl=name_nl or name_fr, reuse=True)


def make_user(*groups: str, email: str | None = None, **fields):
    number = register.number()
    user = get_user_model().objects.create_user(
        username=f"user{number}",
        email=email or f"user{number}@example.org",
        password="a-long-password-123",
        **fields,
    )
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def make_tenant(neighbourhood: Neighbourhood, user=None) -> Person:
    """A current tenant living in a building of this neighbourhood, optionally linked to an account."""
    return register.tenant(
        neighbourhood,
        language="",
        unit="1.1",
        first_name="Fatima",
        last_name="El Amrani",
        born=datetime.date(1962, 5, 4),
        user=user,
    )


def make_image(title: str = "Picture", colour: str = "#3a7") -> object:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 36), colour).save(buffer, "PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"{title.lower().replace(' ', '-')}.png")
    image.save()
    return image


def make_news_index(home: HomePage, title: str = "Actualités", slug: str = "actualites") -> NewsIndexPage:
    index = home.add_child(instance=NewsIndexPage(title=title, slug=slug, intro=""))
    index.save_revision().publish()
    return index


def translate_page(page, language_code: str, **fields):
    """A published translation of `page` (its parent must already be translated)."""
    translation = page.copy_for_translation(Locale.objects.get(language_code=language_code))
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def make_news(
    index: NewsIndexPage,
    title: str | None = None,
    *,
    neighbourhoods=(),
    date: datetime.date | None = None,
    lead: str = "A short lead for the tenants.",
    image=None,
    body=None,
    publish: bool = True,
    go_live_at: datetime.datetime | None = None,
) -> NewsPage:
    number = register.number()
    title = title or f"News item {number}"
    page = NewsPage(
        title=title,
        slug=f"news-{number}",
        lead=lead,
        date=date or timezone.localdate(),
        image=image,
        image_alt="A picture" if image else "",
        body=body if body is not None else [("paragraph", RichText("<p>Body text.</p>"))],
        live=publish and go_live_at is None,
    )
    index.add_child(instance=page)
    page.neighbourhoods.set(list(neighbourhoods))
    page.go_live_at = go_live_at
    page.save()
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def index_for_search(*pages) -> None:
    """Put pages in Wagtail's search index now (in production the background worker does it after each save;
    the shared `run_tasks` fixture cannot be used in a non-transactional test: the worker closes the connection)."""
    from wagtail.search.index import insert_or_update_object

    for page in pages:
        insert_or_update_object(page)


def build_news_site(homes: dict) -> dict:
    """Two neighbourhoods, FR and NL news trees, a news item with a picture (for the browser journeys)."""
    marolles = make_neighbourhood("marolles", "Les Marolles", "De Marollen")
    peterbos = make_neighbourhood("peterbos", "Peterbos", "Peterbos")
    fr_index = make_news_index(homes["fr"])
    translate_page(fr_index, "nl", title="Nieuws", slug="nieuws")
    image = make_image("Garden", "#4a8")
    garden = make_news(
        fr_index,
        "Un potager collectif s'ouvre rue Haute",
        neighbourhoods=[marolles],
        lead="Douze bacs à légumes attendent les locataires des Marolles.",
        image=image,
        date=datetime.date(2026, 3, 2),
        body=[
            ("heading", {"text": "Comment participer", "level": "h2"}),
            ("paragraph", RichText("<p>Inscrivez-vous à l'accueil avant le 15 du mois.</p>")),
            ("image", {"image": image, "alt": "Des bacs de légumes dans la cour", "caption": "Le potager"}),
        ],
    )
    translate_page(garden, "nl", title="Een gemeenschappelijke moestuin in de Hoogstraat", slug="moestuin")
    lifts = make_news(
        fr_index,
        "Peterbos : les ascenseurs du bloc 9 réparés",
        neighbourhoods=[peterbos],
        lead="Le technicien remplace les moteurs et les portes.",
        date=datetime.date(2026, 3, 1),
    )
    office = make_news(
        fr_index,
        "Un nouveau bureau d'accueil",
        lead="L'accueil déménage rue Blaes.",
        date=datetime.date(2026, 2, 20),
    )
    return {"index": fr_index, "garden": garden, "lifts": lifts, "office": office}
