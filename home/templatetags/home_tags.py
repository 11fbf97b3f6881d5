"""Site shell helpers: the language switch (to the translated page), the news menu entry, accessible embeds."""

from __future__ import annotations

import re

from django import template
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from home.models import NewsIndexPage
from portal import page_cache

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One entry per language: where the switch leads. On a Wagtail page, its live translation in that language
    (same query string) when there is one, else that language's home page. Elsewhere (account pages...), the
    current address: Django's `set_language` swaps the language prefix."""
    request = context.get("request")
    current = get_language()
    page = context.get("page")
    cache_key = (current, getattr(page, "pk", None))
    cached = getattr(request, "_home_language_links", None)
    if cached is not None and cached[0] == cache_key:
        return cached[1]
    translations: dict[str, Page] = {}
    if isinstance(page, Page) and page.pk:
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translation.locale.language_code] = translation
    query = request.META.get("QUERY_STRING", "") if request else ""
    links = []
    for code, name in settings.LANGUAGES:
        if isinstance(page, Page) and page.pk:
            translation = translations.get(code)
            translated = translation is not None
            if translated:
                url = translation.get_url(request)
                if query:
                    url = f"{url}?{query}"
            else:
                url = f"/{code}/"
        else:
            translated = False
            url = request.get_full_path() if request else f"/{code}/"
        links.append(
            {"code": code, "name": name, "url": url, "current": code == current, "translated": translated}
        )
    if request is not None:
        request._home_language_links = (cache_key, links)
    return links


@register.simple_tag(takes_context=True)
def news_index_url(context) -> str:
    """The address of the news index of the current language ('' when there is none yet)."""
    request = context.get("request")
    cache_attr = "_home_news_index_url"
    if request is not None and hasattr(request, cache_attr):
        return getattr(request, cache_attr)
    page = context.get("page")
    language = get_language()
    if isinstance(page, NewsIndexPage) and page.live and page.locale.language_code == language:
        url = page.get_url(request)  # on the news list itself
    else:
        # In every page's menu: kept in the cache until public content changes (portal.page_cache).
        host = request.get_host() if request is not None else ""
        url = page_cache.memoize(
            f"news-index-url:{language}:{host}", lambda: _news_index_url(request, language)
        )
    if request is not None:
        setattr(request, cache_attr, url)
    return url


def _news_index_url(request, language: str) -> str:
    index = NewsIndexPage.objects.live().filter(locale__language_code=language).first()
    return index.get_url(request) if index is not None else ""


_IFRAME_WITHOUT_TITLE = re.compile(r"<iframe(?![^>]*\stitle=)", re.IGNORECASE)


@register.filter
def iframe_title(html: str, title: str) -> str:
    """Give an embedded player's iframe a title (screen readers announce it) when the provider did not."""
    return mark_safe(_IFRAME_WITHOUT_TITLE.sub(f'<iframe title="{escape(title)}"', str(html)))  # noqa: S308
