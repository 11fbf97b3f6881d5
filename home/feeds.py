"""RSS and Atom feeds of the news (all, or one neighbourhood with the company-wide news), served by
`NewsIndexPage`'s routes `feed/`, `feed/<slug>/`, `atom/` and `atom/<slug>/`."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from portal.models import Neighbourhood

from . import selectors
from .models import NewsIndexPage, NewsPage


class NewsFeed(Feed):
    """The latest news of one language as RSS 2.0."""

    #: How many news items a feed carries.
    size = 20

    def __init__(self, *, index: NewsIndexPage, neighbourhood: Neighbourhood | None = None):
        super().__init__()
        self.index = index
        self.neighbourhood = neighbourhood
        self.request = None

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.neighbourhood

    def title(self, obj):
        if obj is None:
            return self.index.title
        return _("%(news)s: %(neighbourhood)s") % {"news": self.index.title, "neighbourhood": obj.name}

    def link(self, obj):
        url = self.index.get_url(self.request)
        return f"{url}?neighbourhood={obj.slug}" if obj is not None else url

    def description(self, obj):
        return self.index.intro or self.title(obj)

    def items(self, obj):
        return list(selectors.news_in_index(self.index, neighbourhood=obj)[: self.size])

    def item_title(self, item: NewsPage) -> str:
        return item.title

    def item_description(self, item: NewsPage) -> str:
        return item.lead

    def item_link(self, item: NewsPage) -> str:
        return item.get_url(self.request)

    def item_pubdate(self, item: NewsPage) -> datetime.datetime:
        return datetime.datetime.combine(
            item.date, datetime.time(8, 0), tzinfo=timezone.get_current_timezone()
        )

    def item_updateddate(self, item: NewsPage) -> datetime.datetime | None:
        return item.last_published_at

    def item_categories(self, item: NewsPage) -> list[str]:
        return [neighbourhood.name for neighbourhood in item.neighbourhoods.all()]


class AtomNewsFeed(NewsFeed):
    """The same news as Atom 1.0."""

    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
