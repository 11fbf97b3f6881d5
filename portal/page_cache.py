"""Anonymous public pages served from the shared cache, retired whenever public content changes.

A page is stored only when it is plainly the same for every anonymous visitor: a GET of a language-prefixed address
by a visitor with no session and no pending messages, answered 200 without setting a cookie, without a CSRF token
(pages with a form are never stored), without a CSP nonce (an inline script's nonce is for one response) and without
`Cache-Control: private/no-cache/no-store`.

Invalidation: the cache holds a generation number, and every stored page remembers the generation it was built in.
Any change of public content (a save or delete of a model of the content apps, a Wagtail page published, unpublished
or moved) bumps the generation after the transaction commits, which retires every stored page at once.
Models that change on every vote or delivery and never show on a public page are left out (`PRIVATE_MODELS`), so an
election day or a mailing does not empty the cache. Entries also expire after `PORTAL_PAGE_CACHE_SECONDS`, which
bounds how long a page that depends on the clock alone (upcoming meetings, an election's phase) can lag.

The middleware sits right after the security and static-files middleware: a hit skips sessions, CSRF,
authentication and the view; the stored response already carries the headers that the inner middleware set
(Content-Security-Policy, X-Frame-Options, Content-Language, Vary).

Off when `PORTAL_PAGE_CACHE_SECONDS` is 0 (development and the test suite, unless a test turns it on). In production
it needs a cache shared by all processes (Redis, REDIS_URL); with per-process local memory, one process would go on
serving a page that another has retired.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re

GENERATION_KEY = "pagecache:generation"
KEY_PREFIX = "pagecache:page:"
MEMO_PREFIX = "pagecache:memo:"
HIT_HEADER = "X-Page-Cache"

# Apps whose models appear on public pages; any of their models' changes retire the stored pages...
CONTENT_APPS = {
    "home",
    "meetings",
    "projectcall",
    "elections",
    "portal",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "wagtailredirects",
    "taggit",
}
# ... except these, written on every vote, delivery or log line, and never shown on a public page.
PRIVATE_MODELS = {
    "elections.rollentry",
    "elections.participation",
    "elections.ballot",
    "elections.ballotchoice",
    "elections.electionevent",
    "portal.auditevent",
    "portal.linkingcode",
    "portal.linkingattempt",
    "portal.notificationbatch",
    "portal.delivery",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.pagesubscription",
    # Resized images, made the first time a page shows an image: a cache, not content.
    "wagtailimages.rendition",
}
_NOT_SHARED = {"private", "no-cache", "no-store"}


def seconds() -> int:
    return int(getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 0))


def _language_prefix() -> re.Pattern[str]:
    codes = "|".join(re.escape(code) for code, _ in settings.LANGUAGES)
    return re.compile(rf"^/(?:{codes})/")


def current_generation() -> int:
    """The generation stored pages must carry to be served; a fresh one if the cache lost it."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key is gone (cache restarted or evicted): a new generation all the same
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def invalidate(using: str = DEFAULT_DB_ALIAS) -> None:
    """Retire every stored page once the current transaction commits (at once outside a transaction; never if it
    rolls back). One increment per change: a few microseconds each, and public content changes a handful of rows
    per edit (bulk writes such as the register import send no signal)."""
    transaction.on_commit(_bump, using=using)


def _on_model_change(sender: type, **kwargs) -> None:
    if sender._meta.label_lower in PRIVATE_MODELS or sender._meta.app_label not in CONTENT_APPS:
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
        cache.set(key, (generation, value), timeout)
    return value


_MISSING = object()


def _lookup(key: str) -> tuple[int, object]:
    """The current generation and the value stored under `key` if it was stored in that generation (else
    `_MISSING`), in one round trip to the cache. Values are stored as `(generation, value)`."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = current_generation()
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return generation, entry[1]
    return generation, _MISSING


def _key(request: HttpRequest) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
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
        if _storable(request, response):
            headers = [(name, value) for name, value in response.headers.items() if name != HIT_HEADER]
            cache.set(key, (generation, (response.status_code, headers, response.content)), timeout)
            response.headers[HIT_HEADER] = "miss"
        return response
