"""`make bench`: build or reuse the benchmark dataset, then measure every section against its baseline.

Run as `python -m bench [--rounds N] [--rebuild] [--only SECTION ...]` with DATABASE_URL pointing at a PostgreSQL
server (the Makefile's `.ci/with-postgres` provides one); the benchmark uses its own database on that server,
`portal_bench` unless BENCH_DATABASE names another.

Each section is a module of this package with a `run(rounds: int) -> str` function that returns a Markdown report;
the reports are printed as they come and appended together to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import platform
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

RESULTS = Path(__file__).with_name("RESULTS.md")

# (name, module) in the order they run; `--only name` runs a subset.
SECTIONS: list[tuple[str, str]] = [
    ("pages", "bench.pages"),
    ("jobs", "bench.jobs"),
    ("load", "bench.load"),
    ("voting", "bench.voting"),
    ("mailing", "bench.mailing"),
]


def _bench_database_name() -> str:
    return os.environ.get("BENCH_DATABASE", "portal_bench")


def _bench_database_url() -> str:
    url = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"))
    return urlunparse(url._replace(path="/" + _bench_database_name()))


def _ensure_database(url: str, rebuild: bool) -> None:
    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = _bench_database_name()
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--only", nargs="*", choices=[name for name, _ in SECTIONS], default=None)
    parser.add_argument("--no-record", action="store_true", help="print only, do not append to RESULTS.md")
    args = parser.parse_args()

    url = _bench_database_url()
    _ensure_database(url, args.rebuild)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    from bench import data

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)  # noqa: S311 - reproducible data
    started = time.perf_counter()
    data.build(rng)
    from django.db import connection

    with (
        connection.cursor() as cursor
    ):  # fresh planner statistics after bulk loading, as autovacuum would give
        cursor.execute("ANALYZE")
    print(f"Dataset ready in {time.perf_counter() - started:.1f} s", flush=True)

    report = ""
    for name, module in SECTIONS:
        if args.only and name not in args.only:
            continue
        print(f"\n### {name}", flush=True)
        section = importlib.import_module(module).run(rounds=args.rounds)
        print(section, flush=True)
        report += "\n" + section
    load = os.getloadavg()
    header = (
        f"\n## {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})\n"
    )
    print(header)
    if not args.no_record:
        with RESULTS.open("a", encoding="utf-8") as out:
            if RESULTS.stat().st_size == 0:
                out.write("# Benchmark results (appended by `make bench`)\n")
            out.write(header + report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
