"""`make bench`: build or reuse the benchmark dataset, then measure pages against the floor view.

Run as `python -m bench [--rounds N] [--rebuild]` with DATABASE_URL pointing at a PostgreSQL server (the Makefile's
`.ci/with-postgres` provides one); the benchmark uses its own database, `portal_bench`, on that server.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

RESULTS = Path(__file__).with_name("RESULTS.md")


def _bench_database_url() -> str:
    url = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"))
    return urlunparse(url._replace(path="/portal_bench"))


def _ensure_database(url: str, rebuild: bool) -> None:
    import psycopg

    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'portal_bench'").fetchone()
        if exists and rebuild:
            conn.execute("DROP DATABASE portal_bench WITH (FORCE)")
            exists = None
        if not exists:
            conn.execute("CREATE DATABASE portal_bench")


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()

    url = _bench_database_url()
    _ensure_database(url, args.rebuild)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    from bench import data, pages

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)  # noqa: S311 - reproducible data
    started = time.perf_counter()
    if not data.register_exists():
        print("Building the register: 20,000 dwellings, 50,000 persons ...", flush=True)
        data.build_register(rng)
    for builder in pages.DATA_BUILDERS:
        builder(rng)
    print(f"Dataset ready in {time.perf_counter() - started:.1f} s", flush=True)

    from bench import jobs

    rows = pages.measure_pages(rounds=args.rounds)
    report = pages.format_table(rows)
    print(report, flush=True)
    job_rows = jobs.time_tally() + jobs.time_register_import()
    report += "\n" + jobs.format_jobs(job_rows)
    load = os.getloadavg()
    header = (
        f"\n## {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} cores, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})\n\n"
    )
    print(header + report)
    with RESULTS.open("a", encoding="utf-8") as out:
        if RESULTS.stat().st_size == 0:
            out.write("# Benchmark results (appended by `make bench`)\n")
        out.write(header + report + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
