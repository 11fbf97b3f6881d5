"""Reads for the news and the home page, written so the number of queries does not grow with the news."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.models import Locale, PageViewRestriction

from portal.models import Neighbourhood
from portal.permissions import person_for

from .models import NewsIndexPage, NewsPage

#: Session key of the neighbourhood a visitor last filtered the news by.
SESSION_KEY = "home.news_neighbourhood"
#: Rendition of the listing image in news cards (prefetched with the list).
LISTING_RENDITION = "fill-480x270"
#: The hook other apps use to show something on the home page (see home/models.py).
HOME_SLOTS_HOOK = "portal_home_slots"


def with_listing_prefetches(news: QuerySet[NewsPage]) -> QuerySet[NewsPage]:
    """What a news card shows (neighbourhoods, listing image and its rendition) in a fixed number of queries."""
    images = get_image_model().objects.prefetch_renditions(LISTING_RENDITION)
    return news.prefetch_related("neighbourhoods", Prefetch("image", queryset=images))


def visible_news(*, for_search: bool = False) -> QuerySet[NewsPage]:
    """News a visitor may read: published, not behind a privacy restriction on itself or an ancestor.

    Wagtail's `.public()` says the same but reads the restrictions in a query of its own first; this asks the
    database in the same query (a restriction applies when its page's path begins the news item's path).
    Wagtail's search backends accept only plain filters: searches use `.public()`."""
    if for_search:
        return NewsPage.objects.live().public()
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return NewsPage.objects.live().exclude(Exists(restricted))


def news_for_neighbourhood_ids(neighbourhood: Neighbourhood) -> QuerySet:
    """Ids of the news for this neighbourhood, company-wide news included (they concern every tenant)."""
    return NewsPage.objects.filter(Q(neighbourhoods=neighbourhood) | Q(neighbourhoods__isnull=True)).values(
        "pk"
    )


def news_in_index(index: NewsIndexPage, *, neighbourhood: Neighbourhood | None = None, query: str = ""):
    """The news of one index, newest first, optionally for one neighbourhood and matching search words.

    Returns a QuerySet, or Wagtail search results (by relevance) when `query` is given: paginate either, then pass
    the page's items through `with_listing_data`.
    """
    news = visible_news(for_search=bool(query)).child_of(index)
    if neighbourhood is not None:
        news = news.filter(pk__in=news_for_neighbourhood_ids(neighbourhood))
    if query:
        return news.search(query)
    return with_listing_prefetches(news.order_by("-date", "-pk"))


def with_listing_data(items: Any) -> list[NewsPage]:
    """Materialise one page of news with what the cards show; search results are fetched again with prefetches."""
    if isinstance(items, QuerySet):
        return list(items)
    ids = [item.pk for item in items]
    by_id = {news.pk: news for news in with_listing_prefetches(NewsPage.objects.filter(pk__in=ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


def latest_news(
    *, locale: Locale, neighbourhood: Neighbourhood | None = None, limit: int = 6
) -> list[NewsPage]:
    """The latest news of a language tree; news targeting the visitor's neighbourhood come first."""
    news = visible_news().filter(locale=locale).order_by("-date", "-pk")
    if neighbourhood is None:
        return list(with_listing_prefetches(news)[:limit])
    # Two short reads in the newest-first index rather than one that sorts every news item by "is it for the
    # visitor": the newest news for the neighbourhood, then the newest of the others to fill the row.
    through = NewsPage.neighbourhoods.through
    targeted = through.objects.filter(neighbourhood=neighbourhood).values("newspage_id")
    mine = list(news.filter(pk__in=targeted).values_list("pk", flat=True)[:limit])
    # Always asked (even when the neighbourhood fills the row), so the page's number of queries never varies.
    others = list(news.exclude(pk__in=mine).values_list("pk", flat=True)[:limit])[: limit - len(mine)]
    by_id = {item.pk: item for item in with_listing_prefetches(NewsPage.objects.filter(pk__in=mine + others))}
    for pk in mine:
        by_id[pk].for_visitor = True
    return [by_id[pk] for pk in mine + others]


def visitor_neighbourhood(request: HttpRequest) -> Neighbourhood | None:
    """The visitor's neighbourhood when known: a logged-in tenant's (person → household → dwelling → building →
    site → neighbourhood), else the one the visitor last filtered the news by (kept in the session)."""
    if hasattr(request, "_home_visitor_neighbourhood"):
        return request._home_visitor_neighbourhood
    neighbourhood = None
    person = person_for(getattr(request, "user", None))
    if person is not None:
        neighbourhood = Neighbourhood.objects.filter(
            sites__buildings__dwellings__households=person.household_id
        ).first()
    if neighbourhood is None and hasattr(request, "session"):
        slug = request.session.get(SESSION_KEY)
        if slug:
            neighbourhood = Neighbourhood.objects.filter(slug=slug).first()
    request._home_visitor_neighbourhood = neighbourhood
    return neighbourhood


def remember_neighbourhood(request: HttpRequest, neighbourhood: Neighbourhood) -> None:
    """Remember the neighbourhood a visitor filtered the news by, so the home page shows its news first."""
    if hasattr(request, "session") and request.session.get(SESSION_KEY) != neighbourhood.slug:
        request.session[SESSION_KEY] = neighbourhood.slug


def home_slots(request: HttpRequest, page: Any) -> list[str]:
    """The home page slots of the other apps, rendered in order (see the hook's documentation in models.py)."""
    slots = []
    for hook in hooks.get_hooks(HOME_SLOTS_HOOK):
        slot = hook(request, page)
        if slot is not None:
            slots.append(slot)
    slots.sort(key=lambda slot: slot.get("order", 100))
    return [
        render_to_string(
            slot["template"], {**slot.get("context", {}), "page": page, "request": request}, request=request
        )
        for slot in slots
    ]
