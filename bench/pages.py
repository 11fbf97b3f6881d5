"""Per-page measurement: server CPU time per request and SQL queries, beside the floor view, medians of rounds.

Each app contributes its pages through `PAGE_FINDERS` (functions returning (name, url) pairs for the dataset) and its
data through `DATA_BUILDERS`; a finder whose app has nothing to show returns nothing.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext


def _public_pages() -> Iterable[tuple[str, str]]:
    """The public pages named by issue #7, found in the dataset."""
    from django.urls import reverse
    from django.utils import translation

    from elections.models import Election
    from home.models import NewsIndexPage, NewsPage
    from meetings.models import Meeting
    from projectcall.models import Call

    with translation.override("fr"):
        yield "home", "/fr/"
        index = NewsIndexPage.objects.live().filter(locale__language_code="fr").first()
        if index:
            yield "news list", index.url
        news = NewsPage.objects.live().filter(locale__language_code="fr").order_by("-date").first()
        if news:
            yield "news item", news.url
        yield "meetings list", reverse("meetings:index")
        meeting = Meeting.objects.public().filter(status="minutes_published").order_by("-date").first()
        if meeting:
            yield "meeting page (minutes)", reverse("meetings:meeting", args=[meeting.pk])
            yield "meetings archive", reverse("meetings:archive", args=[meeting.neighbourhood.slug])
        # The current call (open now, else the latest). Its URL redirects (302) to the call's public Wagtail page
        # when there is one: measure that page, which is what a visitor sees.
        call = Call.objects.open_now().order_by("-year").first() or Call.objects.order_by("-year").first()
        if call:
            page = call.pages.live().filter(locale__language_code="fr").first()
            yield "call page", page.url if page else reverse("projectcall:call_detail", args=[call.year])
        yield "project gallery", reverse("projectcall:gallery")
        # The election with published results (the bench's, see bench.content.build_election), else the latest.
        published = Election.objects.filter(status__in=[Election.Status.COMPLAINTS, Election.Status.CLOSED])
        election = published.order_by("-voting_opens_at").first() or Election.objects.order_by("-pk").first()
        if election:
            yield "election page", reverse("elections:detail", args=[election.slug])
            yield "candidate list", reverse("elections:candidates", args=[election.slug])
            yield "results", reverse("elections:results", args=[election.slug])


PAGE_FINDERS: list[Callable[[], Iterable[tuple[str, str]]]] = [_public_pages]


# The Wagtail demo site's comparable pages, measured on this machine (issue #7): the target is a third of these.
WAGTAIL_DEMO_MS = {"home": 53.0, "index": 35.0, "detail": 29.0}
KIND = {
    "home": "home",
    "news list": "index",
    "meetings list": "index",
    "meetings archive": "index",
    "project gallery": "index",
    "candidate list": "index",
}


def _measure(client: Client, url: str, rounds: int) -> tuple[float, int, int, str]:
    client.get(url)  # warm up caches and connections (and store the page when the page cache is on)
    cpu, queries, status, cache_state = [], 0, 0, ""
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as ctx:
            start = time.process_time()
            response = client.get(url)
            cpu.append((time.process_time() - start) * 1000)
        queries, status = len(ctx.captured_queries), response.status_code
        cache_state = response.get("X-Page-Cache", "")
    return statistics.median(cpu), queries, status, cache_state


def measure_pages(rounds: int) -> list[dict]:
    """Each page rendered (page cache off), then served from the page cache to an anonymous visitor."""
    client = Client()
    with override_settings(PORTAL_PAGE_CACHE_SECONDS=0):
        floor_ms, _, _, _ = _measure(client, "/bench/floor/", rounds * 4)
    rows = [
        {"page": "floor (plain Django view)", "url": "/bench/floor/", "cpu_ms": floor_ms, "queries": 0}
        | {"status": 200, "cached_ms": None, "cache_state": "", "target_ms": None}
    ]
    for finder in PAGE_FINDERS:
        for name, url in finder():
            with override_settings(PORTAL_PAGE_CACHE_SECONDS=0):
                cpu_ms, queries, status, _ = _measure(client, url, rounds)
            with override_settings(PORTAL_PAGE_CACHE_SECONDS=120):
                cached_ms, _, _, cache_state = _measure(client, url, rounds)
            target = WAGTAIL_DEMO_MS[KIND.get(name, "detail")] / 3
            rows.append(
                {"page": name, "url": url, "cpu_ms": cpu_ms, "queries": queries, "status": status}
                | {"cached_ms": cached_ms, "cache_state": cache_state, "target_ms": target}
            )
    for row in rows:
        row["ratio"] = row["cpu_ms"] / floor_ms if floor_ms else 0
    return rows


def format_table(rows: list[dict]) -> str:
    lines = [
        "Server CPU per request (median of the rounds), rendered with the page cache off, beside the floor; the "
        "target is a third of the Wagtail demo's comparable page (home 53, index 35, detail 29 ms); then the same "
        "page served to an anonymous visitor from the page cache.",
        "",
        "| page | url | status | rendered: CPU ms | x floor | target ms | met | SQL queries (<= 15) "
        "| from the page cache: CPU ms | x floor |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    floor_ms = rows[0]["cpu_ms"]
    for row in rows:
        target = row["target_ms"]
        met = "" if target is None else ("yes" if row["cpu_ms"] <= target else "no")
        cached = row["cached_ms"]
        cached_cells = (
            "| | |"
            if cached is None
            else f"| {cached:.2f} ({row['cache_state'] or 'not cached'}) | {cached / floor_ms:.1f} |"
        )
        lines.append(
            f"| {row['page']} | `{row['url']}` | {row['status']} | {row['cpu_ms']:.2f} | {row['ratio']:.1f} "
            f"| {'' if target is None else f'{target:.1f}'} | {met} | {row['queries']} {cached_cells}"
        )
    return "\n".join(lines) + "\n"


def run(rounds: int) -> str:
    from django.core.cache import caches

    for alias in ("default", "pages"):  # rate-limit counters; the page cache (its own alias)
        caches[alias].clear()
    return format_table(measure_pages(rounds=rounds))
