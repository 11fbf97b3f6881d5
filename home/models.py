"""Site pages and neighbourhood news.

Page tree (one tree per language, linked as translations through `translation_key`)::

    Root
    └── HomePage (fr, nl, en: the root of each language tree, served at /fr/, /nl/, /en/)
        ├── NewsIndexPage (one per language: "Actualités", "Nieuws", "News")
        │   └── NewsPage (a news item for one or more neighbourhoods, or company-wide when none)
        └── pages of the other apps (meetings, project call, elections), which set their own parent_page_types

Home page slots
---------------
Other apps show something on the home page (the next meeting of the visitor's neighbourhood, the open call, the
election) through the Wagtail hook ``portal_home_slots``. Register a function in ``<app>/wagtail_hooks.py``::

    from wagtail import hooks

    @hooks.register("portal_home_slots")
    def next_meeting_slot(request, page):
        meeting = ...
        if meeting is None:
            return None  # nothing to show
        return {"order": 10, "template": "meetings/includes/home_slot.html", "context": {"meeting": meeting}}

Each function receives the request and the ``HomePage`` being served (``page.locale`` is the language tree) and
returns ``None`` (show nothing) or a dict with ``order`` (lower first), ``template`` and ``context``. The home page
renders each template with its context (plus ``request`` and ``page``) in order. A slot template should be a
``<section class="card home-slot">`` with an ``<h2>``, and must work without JavaScript. Keep the number of
queries of a slot constant (it runs on every home page view). See `home.selectors.home_slots`.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal import page_cache
from portal.models import Neighbourhood

from .blocks import BodyBlock
from .forms import PortalPageForm


class HomePage(Page):
    """The landing page of one language tree: latest news (the visitor's neighbourhood first) and the slots
    filled by the other apps through the ``portal_home_slots`` hook (see the module docstring).

    `subpage_types` is left open on purpose: the other apps' pages declare `parent_page_types = ["home.HomePage"]`.
    """

    base_form_class = PortalPageForm

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]

    def route(self, request, path_components):
        """Find a page below in one query by its address (`url_path`), instead of Wagtail's query per level;
        the page's own `route` then decides (live or not, RoutablePage sub-routes for an empty remainder). An
        address that is no page (a feed of the news list, a missing page) goes the usual way, level by level."""
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            found = Page.objects.filter(url_path=url_path, path__startswith=self.path).first()
            if found is not None:
                return found.specific.route(request, [])
        return super().route(request, path_components)

    #: How many news items the home page shows.
    latest_news_count = 6

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        neighbourhood = selectors.visitor_neighbourhood(request)
        context["visitor_neighbourhood"] = neighbourhood
        context["latest_news"] = selectors.latest_news(
            locale=self.locale_id, neighbourhood=neighbourhood, limit=self.latest_news_count
        )
        news_index = NewsIndexPage.objects.live().filter(locale_id=self.locale_id).first()
        context["news_index"] = news_index
        # The menu's "News" entry (home_tags.news_index_url) reuses this instead of querying again.
        request._home_news_index_url = news_index.get_url(request) if news_index else ""
        context["slots"] = selectors.home_slots(request, self)
        return context


class NewsFilterForm(forms.Form):
    """The news list's filters (GET, works without JavaScript)."""

    neighbourhood = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Neighbourhood.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All neighbourhoods"),
    )
    q = forms.CharField(
        label=_("Search the news"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class NewsIndexPage(RoutablePageMixin, Page):
    """The list of news of one language, filterable by neighbourhood, searchable, paginated, with feeds.

    URLs (below the page's own URL): ``?neighbourhood=<slug>&q=<words>&page=<n>``, ``feed/`` (RSS, all news),
    ``feed/<neighbourhood slug>/`` (RSS, one neighbourhood plus company-wide news), ``atom/`` and
    ``atom/<neighbourhood slug>/`` (the same as Atom).
    """

    base_form_class = PortalPageForm

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.NewsPage"]
    max_count_per_parent = 1

    #: News items per page of the list.
    per_page = 10

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        form = NewsFilterForm(request.GET or None)
        neighbourhood, query = None, ""
        if form.is_valid():
            neighbourhood = form.cleaned_data["neighbourhood"]
            query = form.cleaned_data["q"].strip()
            if neighbourhood is not None:
                selectors.remember_neighbourhood(request, neighbourhood)
        news = selectors.news_in_index(self, neighbourhood=neighbourhood, query=query)
        paginator = Paginator(news, self.per_page)
        page_obj = paginator.get_page(request.GET.get("page"))
        # The anonymous page cache keeps lists by page and neighbourhood, never a search.
        page_cache.cacheable_query(
            request,
            page=page_obj.number,
            neighbourhood=neighbourhood.slug if neighbourhood else "",
            q=None if query else "",
        )
        context.update(
            form=form,
            neighbourhood=neighbourhood,
            query=query,
            paginator=paginator,
            page_obj=page_obj,
            # 1 2 … 9 10 [11] 12 13 … 149 150: a few links whatever the number of news.
            page_range=paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
            news_items=selectors.with_listing_data(page_obj.object_list),
            neighbourhoods=form.fields["neighbourhood"].queryset,
        )
        return context

    def _feed(self, request, *, atom: bool, neighbourhood_slug: str | None = None):
        from .feeds import AtomNewsFeed, NewsFeed

        neighbourhood = None
        if neighbourhood_slug is not None:
            neighbourhood = get_object_or_404(Neighbourhood, slug=neighbourhood_slug)
        feed_class = AtomNewsFeed if atom else NewsFeed
        return feed_class(index=self, neighbourhood=neighbourhood)(request)

    @path("feed/", name="rss")
    def rss_feed(self, request):
        return self._feed(request, atom=False)

    @path("feed/<slug:neighbourhood>/", name="rss_neighbourhood")
    def rss_neighbourhood_feed(self, request, neighbourhood):
        return self._feed(request, atom=False, neighbourhood_slug=neighbourhood)

    @path("atom/", name="atom")
    def atom_feed(self, request):
        return self._feed(request, atom=True)

    @path("atom/<slug:neighbourhood>/", name="atom_neighbourhood")
    def atom_neighbourhood_feed(self, request, neighbourhood):
        return self._feed(request, atom=True, neighbourhood_slug=neighbourhood)


def _today() -> datetime.date:
    return timezone.localdate()


class NewsPage(Page):
    """A news item. Targets one or more neighbourhoods, or the whole company when none is chosen.

    Scheduled publishing uses Wagtail's "go live" date (Settings tab); moderation uses Wagtail's workflows
    (the default "Moderators approval" workflow is attached to the tree, see migration 0003).
    """

    base_form_class = PortalPageForm

    # True on the cards of the home page that concern the visitor's neighbourhood (annotated by
    # selectors.latest_news); a plain attribute elsewhere, so that templates never look it up in vain.
    for_visitor = False

    date = models.DateField(
        _("date"), default=_today, help_text=_("Shown on the news item and used to sort.")
    )
    lead = models.TextField(
        _("lead"), max_length=400, help_text=_("One or two plain sentences shown in lists and feeds.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("listing image"),
        help_text=_("Shown next to the news item in lists."),
    )
    image_alt = models.CharField(
        _("text alternative of the listing image"),
        max_length=250,
        blank=True,
        help_text=_("Required with an image: describe what the picture shows."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    neighbourhoods = ParentalManyToManyField(
        Neighbourhood,
        blank=True,
        related_name="news_pages",
        verbose_name=_("neighbourhoods"),
        help_text=_("Leave empty for news that concerns every tenant of the company."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("lead"),
        FieldPanel("neighbourhoods", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Listing image")),
        FieldPanel("body"),
    ]

    parent_page_types = ["home.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        # Lists show the newest first, a page at a time: read in this order, stop after the page (2,000 news:
        # 0.3 ms instead of 9 ms sorting them all).
        indexes = [models.Index(fields=["-date", "-page_ptr"], name="home_news_newest_first")]

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Describe the image for people who cannot see it.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["page_neighbourhoods"] = list(self.neighbourhoods.all())
        context["news_index"] = self.get_parent()
        return context
