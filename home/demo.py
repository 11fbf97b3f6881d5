"""Demo site tree: one home page per language (FR, NL, EN), linked as translations, served by the default Site."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import HomePage

TITLES = {
    "fr": (
        "Portail des locataires",
        "Bienvenue sur le portail des locataires : nouvelles du quartier, réunions, projets et élections.",
    ),
    "nl": (
        "Huurdersportaal",
        "Welkom op het huurdersportaal: nieuws uit de wijk, vergaderingen, projecten en verkiezingen.",
    ),
    "en": (
        "Tenant portal",
        "Welcome to the tenant portal: neighbourhood news, meetings, projects and elections.",
    ),
}


@transaction.atomic
def ensure_home_pages() -> dict[str, HomePage]:
    """The home page of each language, created once; the French one is the default site's root."""
    root = Page.get_first_root_node()
    fr_locale, _ = Locale.objects.get_or_create(language_code="fr")
    for code in ("nl", "en"):
        Locale.objects.get_or_create(language_code=code)
    # The locale Wagtail created at install time follows LANGUAGE_CODE; make sure the tree root is French.
    Page.objects.filter(depth=1).update(locale=fr_locale)
    homes: dict[str, HomePage] = {}
    fr_home = HomePage.objects.filter(locale=fr_locale).first()
    if fr_home is None:
        title, intro = TITLES["fr"]
        fr_home = root.add_child(instance=HomePage(title=title, slug="fr", intro=intro, locale=fr_locale))
        # Wagtail's install-time welcome page is replaced by the French home page.
        Page.objects.filter(depth=2).exclude(pk=fr_home.pk).filter(content_type__model="page").delete()
    homes["fr"] = fr_home
    for code in ("nl", "en"):
        locale = Locale.objects.get(language_code=code)
        home = HomePage.objects.filter(locale=locale).first()
        if home is None:
            title, intro = TITLES[code]
            home = fr_home.copy_for_translation(locale, copy_parents=False, alias=False)
            home.title, home.intro, home.slug = title, intro, code
            home.save_revision().publish()
        homes[code] = home
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=fr_home,
            is_default_site=True,
            site_name="Portail des locataires",
        )
    elif site.root_page_id != fr_home.pk:
        site.root_page = fr_home
        site.save()
    return homes


def load(stdout) -> None:
    homes = ensure_home_pages()
    stdout.write(f"Home pages: {', '.join(sorted(homes))}.")
