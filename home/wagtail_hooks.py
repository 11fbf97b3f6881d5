"""Admin wiring: a flat "News" listing for the collective workers (all languages, filterable by neighbourhood
and date, searchable), next to Wagtail's page explorer."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.viewsets.pages import PageListingViewSet

from .models import NewsPage


class NewsListingViewSet(PageListingViewSet):
    model = NewsPage
    icon = "doc-full"
    menu_label = _("News")
    menu_order = 150
    add_to_admin_menu = True
    name = "news"
    list_filter = {"neighbourhoods": ["exact"], "date": ["gte", "lte"], "locale": ["exact"]}
    columns = [
        *PageListingViewSet.columns,
        DateColumn("date", label=_("date"), sort_key="date"),
    ]


@hooks.register("register_admin_viewset")
def register_news_listing():
    return NewsListingViewSet()
