"""Per-page measurement: server CPU time per request and SQL queries, beside the floor view, medians of rounds.

Each app contributes its pages through `PAGE_FINDERS` (functions returning (name, url) pairs for the dataset) and its
data through `DATA_BUILDERS`; a finder whose app has nothing to show returns nothing.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable

from django.db import connection
from django.test import Client
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


def _measure(client: Client, url: str, rounds: int) -> tuple[float, int, int]:
    client.get(url)  # warm up caches and connections
    cpu, queries, status = [], 0, 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as ctx:
            start = time.process_time()
            response = client.get(url)
            cpu.append((time.process_time() - start) * 1000)
        queries, status = len(ctx.captured_queries), response.status_code
    return statistics.median(cpu), queries, status


def measure_pages(rounds: int) -> list[dict]:
    client = Client()
    floor_ms, _, _ = _measure(client, "/bench/floor/", rounds * 4)
    rows = [
        {
            "page": "floor (plain Django view)",
            "url": "/bench/floor/",
            "cpu_ms": floor_ms,
            "queries": 0,
            "status": 200,
        }
    ]
    for finder in PAGE_FINDERS:
        for name, url in finder():
            cpu_ms, queries, status = _measure(client, url, rounds)
            rows.append({"page": name, "url": url, "cpu_ms": cpu_ms, "queries": queries, "status": status})
    for row in rows:
        row["ratio"] = row["cpu_ms"] / floor_ms if floor_ms else 0
    return rows


def format_table(rows: list[dict]) -> str:
    lines = [
        "| page | url | status | server CPU ms / request (median) | x floor | SQL queries |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['page']} | `{row['url']}` | {row['status']} | {row['cpu_ms']:.2f} | {row['ratio']:.1f} | {row['queries']} |"
        )
    return "\n".join(lines) + "\n"


def run(rounds: int) -> str:
    return format_table(measure_pages(rounds=rounds))
