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


def _home_pages() -> Iterable[tuple[str, str]]:
    yield "home (fr)", "/fr/"


def _build_home_pages(rng) -> None:
    from home.demo import ensure_home_pages

    ensure_home_pages()


PAGE_FINDERS: list[Callable[[], Iterable[tuple[str, str]]]] = [_home_pages]
DATA_BUILDERS: list[Callable] = [_build_home_pages]


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
