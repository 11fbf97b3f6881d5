"""Anonymous public pages served from the shared cache, retired whenever public content changes.

A page is stored only when it is plainly the same for every anonymous visitor: a GET of a language-prefixed address
by a visitor with no session and no pending messages, answered 200 without setting a cookie, without a CSRF token
(pages with a form are never stored), without a CSP nonce (an inline script's nonce is for one response) and without
`Cache-Control: private/no-cache/no-store`.

Invalidation: the cache holds a generation number, and every stored page remembers the generation it was built in.
Any change of public content (a save or delete of a model of the content apps, a Wagtail page published, unpublished
or moved) bumps the generation after the transaction commits, which retires every stored page at once.
Which models count: every model of an app whose AppConfig declares `page_cache_private_models` (our apps: each
lists there the models written on every vote, delivery or log line that never show on a public page, so an
election day or a mailing does not empty the cache), and of the third-party apps in `THIRD_PARTY_CONTENT`.
Entries also expire after `PORTAL_PAGE_CACHE_SECONDS`, which bounds how long a page that depends on the clock
alone (upcoming meetings, an election's phase) can lag.

The middleware sits right after the security and static-files middleware: a hit skips sessions, CSRF,
authentication and the view; the stored response already carries the headers that the inner middleware set
(Content-Security-Policy, X-Frame-Options, Content-Language, Vary).

Query strings: a page with one is stored only when the view declared every parameter with the value it rendered
(`cacheable_query(request, page=..., status=...)`): a list's page number and its documented filters. Anything else
(a search, a page number past the end, an unknown filter value, a parameter of anyone's choosing) is rendered and
served uncached, so the number of stored pages is bounded by the site's content, not by what visitors type.

Storage: the `pages` cache alias (`CACHES["pages"]`: its own Redis, PORTAL_PAGE_CACHE_REDIS_URL, or REDIS_URL with
its own key prefix), never the default cache that holds the rate-limit counters; see the README on `maxmemory`.

Off when `PORTAL_PAGE_CACHE_SECONDS` is 0 (development and the test suite, unless a test turns it on). In production
it needs a cache shared by all processes (Redis, REDIS_URL); with per-process local memory, one process would go on
serving a page that another has retired.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import BaseCache, caches
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re

GENERATION_KEY = "pagecache:generation"
KEY_PREFIX = "pagecache:page:"
MEMO_PREFIX = "pagecache:memo:"
HIT_HEADER = "X-Page-Cache"

#: The cache alias of the stored pages and memoized values (settings: CACHES["pages"]).
CACHE_ALIAS = "pages"
#: Third-party apps whose models appear on public pages, with their models that never do. Our own apps declare
#: theirs on their AppConfig (`page_cache_private_models`): portal does not list a domain app's models.
THIRD_PARTY_CONTENT: dict[str, tuple[str, ...]] = {
    "wagtailcore": ("pagelogentry", "modellogentry", "pagesubscription"),
    # Resized images, made the first time a page shows an image: a cache, not content.
    "wagtailimages": ("rendition",),
    "wagtaildocs": (),
    "wagtailredirects": (),
    "taggit": (),
}
_NOT_SHARED = {"private", "no-cache", "no-store"}


def seconds() -> int:
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 0))


def page_store() -> BaseCache:
    """The cache the pages live in: its own alias, so that filling it never touches the rate-limit counters."""
    return caches[CACHE_ALIAS]


@cache
def watched_models() -> tuple[frozenset[str], frozenset[str]]:
    """(content app labels, private model labels): from each AppConfig's `page_cache_private_models` and
    `THIRD_PARTY_CONTENT`. Computed once, after the app registry is ready."""
    configs = {config.label: config for config in apps.get_app_configs()}
    declared = {
        label: tuple(config.page_cache_private_models)
        for label, config in configs.items()
        if hasattr(config, "page_cache_private_models")
    }
    content, private = set(), set()
    for label, models in {**THIRD_PARTY_CONTENT, **declared}.items():
        if label in configs:
            content.add(label)
            private.update(f"{label}.{name.lower()}" for name in models)
    return frozenset(content), frozenset(private)


def check_declarations(**kwargs: Any) -> list[checks.CheckMessage]:
    """System check: every model an app declares private exists (a typo would retire the cache on every vote)."""
    errors = []
    _, private = watched_models()
    for label in sorted(private):
        app_label, model_name = label.split(".")
        try:
            apps.get_model(app_label, model_name)
        except LookupError:
            errors.append(
                checks.Error(
                    f"{label} is declared in page_cache_private_models but is no model.",
                    hint="Fix the app's AppConfig.page_cache_private_models (portal/page_cache.py).",
                    id="portal.E101",
                )
            )
    return errors


def _language_prefix() -> re.Pattern[str]:
    codes = "|".join(re.escape(code) for code, _ in settings.LANGUAGES)
    return re.compile(rf"^/(?:{codes})/")


def current_generation() -> int:
    """The generation stored pages must carry to be served; a fresh one if the cache lost it."""
    store = page_store()
    generation = store.get(GENERATION_KEY)
    if generation is None:
        store.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = store.get(GENERATION_KEY)
    return generation


def _bump() -> None:
    store = page_store()
    try:
        store.incr(GENERATION_KEY)
    except ValueError:  # the key is gone (cache restarted or evicted): a new generation all the same
        store.set(GENERATION_KEY, time.time_ns(), timeout=None)


def invalidate(using: str = DEFAULT_DB_ALIAS) -> None:
    """Retire every stored page once the current transaction commits (at once outside a transaction; never if it
    rolls back). One increment per change: a few microseconds each, and public content changes a handful of rows
    per edit (bulk writes such as the register import send no signal)."""
    transaction.on_commit(_bump, using=using)


def _on_model_change(sender: type, **kwargs) -> None:
    content_apps, private_models = watched_models()
    if sender._meta.app_label not in content_apps or sender._meta.label_lower in private_models:
        return
    if kwargs.get("raw"):  # fixtures loading
        return
    invalidate(kwargs.get("using") or DEFAULT_DB_ALIAS)


def _on_page_event(sender: type, **kwargs) -> None:
    invalidate()


def connect_signals() -> None:
    """Called once from PortalConfig.ready()."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_on_model_change, dispatch_uid="portal.page_cache.save")
    post_delete.connect(_on_model_change, dispatch_uid="portal.page_cache.delete")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_on_page_event, dispatch_uid=f"portal.page_cache.{id(signal)}")
    checks.register(check_declarations)


T = TypeVar("T")


def memoize(name: str, build: Callable[[], T]) -> T:
    """A value derived from public content (the address of a page shown in every page's menu...), kept in the
    cache like the pages, retired with them when public content changes. Built every time when the page cache
    is off (development, tests: no shared cache to trust)."""
    timeout = seconds()
    if not timeout:
        return build()
    key = MEMO_PREFIX + hashlib.sha256(name.encode()).hexdigest()
    generation, value = _lookup(key)
    if value is _MISSING:
        value = build()
        page_store().set(key, (generation, value), timeout)
    return value


_MISSING = object()


def _lookup(key: str) -> tuple[int, object]:
    """The current generation and the value stored under `key` if it was stored in that generation (else
    `_MISSING`), in one round trip to the cache. Values are stored as `(generation, value)`."""
    found = page_store().get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = current_generation()
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return generation, entry[1]
    return generation, _MISSING


def cacheable_query(request: HttpRequest, **params: object) -> None:
    """Called by a public list: the query parameters it understood, each with the value it rendered (the page
    number the paginator showed, the slug of the neighbourhood it filtered by...). The page is stored only when the
    request's query string is made of exactly these parameters with exactly these values; a parameter left out or
    given as None (a search, say) keeps the page out of the cache."""
    request.page_cache_query = {name: str(value) for name, value in params.items() if value is not None}


def _canonical_query(request: HttpRequest) -> str:
    return urlencode(sorted((name, value) for name, values in request.GET.lists() for value in values))


def _query_declared(request: HttpRequest) -> bool:
    if not request.GET:
        return True
    declared = getattr(request, "page_cache_query", {})
    return all(len(values) == 1 and declared.get(name) == values[0] for name, values in request.GET.lists())


def _key(request: HttpRequest) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.path}?{_canonical_query(request)}"
    return KEY_PREFIX + hashlib.sha256(address.encode()).hexdigest()


def _anonymous_public_get(request: HttpRequest, language_prefix: re.Pattern[str]) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and bool(language_prefix.match(request.path_info))
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if "'nonce-" in response.get("Content-Security-Policy", ""):
        return False  # a nonce is for one response only: replaying it would let any inline script through
    directives = {
        d.split("=")[0].strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not directives & _NOT_SHARED


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.language_prefix = _language_prefix()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = seconds()
        if not timeout or not _anonymous_public_get(request, self.language_prefix):
            return self.get_response(request)
        key = _key(request)
        generation, stored = _lookup(key)
        if stored is not _MISSING:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            response.headers[HIT_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _storable(request, response) and _query_declared(request):
            headers = [(name, value) for name, value in response.headers.items() if name != HIT_HEADER]
            page_store().set(key, (generation, (response.status_code, headers, response.content)), timeout)
            response.headers[HIT_HEADER] = "miss"
        return response
