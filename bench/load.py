"""Load through the production stack: gunicorn serving bench.settings on 127.0.0.1, driven by wrk.

Every public page of `bench.pages.PAGE_FINDERS` and the floor view are loaded for a fixed time (after a warm-up),
anonymously and with the session of a logged-in tenant (an account linked to a Person of the register). Reported per
page: requests per second, p50 and p99 latency (wrk --latency), responses that were not 2xx or 3xx (wrk's own
count; the status of one request is shown beside it), the page's throughput as a fraction of the floor's, and the
server CPU per request: CPU time of gunicorn's processes and of their PostgreSQL backends (marked by
application_name) read from /proc around the measured run, divided by the requests served. That last figure does
not depend on what else runs on the machine (wrk, other jobs); requests/s and latencies do.

Choices, for a 2-core machine shared with the load generator:
- gunicorn `gthread`, 2 workers x 4 threads (BENCH_GUNICORN_WORKERS / BENCH_GUNICORN_THREADS override). Django is
  CPU-bound under the GIL, so one process per core is what turns CPU into throughput; the threads overlap the
  waits on PostgreSQL and, unlike sync workers, keep connections alive (wrk, like a browser or a reverse proxy,
  reuses its connections, so sync workers would measure a TCP connect per request).
- wrk: 1 thread, 8 connections (enough to keep every gunicorn thread busy; one wrk thread is plenty for these rates
  and leaves the most CPU to the server), 1 s warm-up then 5 s measured (BENCH_LOAD_SECONDS) per page and mode:
  about 2.5 minutes for the section.

`start_gunicorn` is shared with bench.voting.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))
WRK_THREADS = 1
WRK_CONNECTIONS = 8
WARMUP_SECONDS = 1
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "5"))
TENANT_EMAIL = "bench.tenant@example.org"


def gunicorn_description() -> str:
    return f"gunicorn gthread, {WORKERS} workers x {THREADS} threads"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_until_serving(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/bench/floor/")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute")


APPLICATION_NAME = "bench_server"  # marks the server's PostgreSQL backends, whose CPU is the server's too
_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (state first), None once the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()


@dataclass
class Server:
    base: str  # http://127.0.0.1:<port>
    pid: int  # gunicorn's master, leader of its process group

    def pids(self) -> list[int]:
        """gunicorn's processes and the PostgreSQL backends serving them."""
        from django.db import connection

        group = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                fields = _stat(int(entry.name))
                if fields and int(fields[2]) == self.pid:
                    group.append(int(entry.name))
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APPLICATION_NAME])
            backends = [row[0] for row in cursor.fetchall()]
        connection.close()
        return group + backends

    def cpu(self) -> dict[int, float]:
        """CPU seconds (user + system) so far of each process of the server."""
        times = {}
        for pid in self.pids():
            fields = _stat(pid)
            if fields:
                times[pid] = (int(fields[11]) + int(fields[12])) / _TICKS
        return times


def cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the server used between two `Server.cpu()` readings (processes started since count from 0)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def _server_database_url() -> str:
    url = os.environ["DATABASE_URL"]
    return f"{url}{'&' if '?' in url else '?'}application_name={APPLICATION_NAME}"


@contextlib.contextmanager
def start_gunicorn(workers: int = WORKERS, threads: int = THREADS) -> Iterator[Server]:
    """gunicorn serving bench.settings (the DATABASE_URL bench set) on a free port.

    Runs in its own process group, stopped (TERM, then KILL) on the way out whatever happened."""
    port = _free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=_server_database_url(),
    )
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "portal.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        "--backlog=2048",
        "--log-level=warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    try:
        _wait_until_serving(port, process)
        yield Server(base=f"http://{HOST}:{port}", pid=process.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def tenant_session_cookie() -> str:
    """The session key of a logged-in tenant whose account is linked to a Person (created once, then reused)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.test import Client

    from portal.models import Person

    user, _created = get_user_model().objects.get_or_create(
        username=TENANT_EMAIL, defaults={"email": TENANT_EMAIL}
    )
    EmailAddress.objects.update_or_create(
        user=user, email=TENANT_EMAIL, defaults={"verified": True, "primary": True}
    )
    if not Person.objects.filter(user=user).exists():
        person = (
            Person.objects.current()
            .filter(role=Person.Role.LEASE_HOLDER, user__isnull=True, external_ref__startswith="BP-")
            .order_by("external_ref")
            .first()
        )
        person.user = user
        person.save(update_fields=["user"])
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies["sessionid"].value


def _status(base: str, url: str, cookie: str) -> int:
    """The status of one request (wrk counts statuses outside 2xx-3xx but does not tell them apart)."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", url, headers={"Cookie": cookie} if cookie else {})
    status = conn.getresponse().status
    conn.close()
    return status


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # responses that were neither 2xx nor 3xx
    errors: int  # socket errors: connect, read, write, timeout


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(output: str) -> WrkResult:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
        return _ms(*match.groups()) if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(
        rps=float(rps.group(1)) if rps else 0.0,
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        requests=int(requests.group(1)) if requests else 0,
        bad=int(bad.group(1)) if bad else 0,
        errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def wrk(url: str, cookie: str, seconds: int) -> WrkResult:
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "--timeout=10s",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True, timeout=seconds + 30)  # noqa: S603
    return parse_wrk(out.stdout)


def _pages() -> list[tuple[str, str]]:
    from bench.pages import PAGE_FINDERS

    pages = [("floor (plain Django view)", "/bench/floor/")]
    for finder in PAGE_FINDERS:
        pages.extend(finder())
    return pages


def measure_load() -> list[dict]:
    from django.db import connection

    pages = _pages()
    modes = [("anonymous", ""), ("tenant", f"sessionid={tenant_session_cookie()}")]
    connection.close()  # the server gets all the database connections it wants
    rows = []
    with start_gunicorn() as server:
        for mode, cookie in modes:
            for name, url in pages:
                status = _status(server.base, url, cookie)
                wrk(server.base + url, cookie, WARMUP_SECONDS)
                before = server.cpu()
                result = wrk(server.base + url, cookie, SECONDS)
                cpu = cpu_between(before, server.cpu())
                rows.append(
                    {
                        "page": name,
                        "url": url,
                        "mode": mode,
                        "status": status,
                        "wrk": result,
                        "cpu_ms": cpu * 1000 / result.requests if result.requests else float("nan"),
                    }
                )
    for mode, _cookie in modes:
        floor = next(r["wrk"].rps for r in rows if r["mode"] == mode and r["url"] == "/bench/floor/")
        for row in rows:
            if row["mode"] == mode:
                row["ratio"] = row["wrk"].rps / floor if floor else 0.0
    return rows


def format_load(rows: list[dict]) -> str:
    header = (
        f"Through {gunicorn_description()} on {HOST}, bench.settings; wrk {WRK_THREADS} thread, "
        f"{WRK_CONNECTIONS} connections, {WARMUP_SECONDS} s warm-up then {SECONDS} s per page and mode. "
        f"wrk runs on the same {os.cpu_count()} cores as gunicorn and PostgreSQL and takes its share of the CPU: "
        "the figures are a floor of the server's capacity, comparable with each other (the floor row is the "
        "same stack with a view that does nothing). Bad = responses neither 2xx nor 3xx (wrk's count); "
        "status = one request's status. Server CPU = CPU time of gunicorn's processes and of their PostgreSQL "
        "backends (/proc) divided by the requests served: it does not depend on what else runs on the machine, "
        f"and {os.cpu_count()} cores / server CPU is the capacity of an idle machine.\n\n"
    )
    lines = [
        "| page | url | as | status | req/s | p50 ms | p99 ms | bad | socket errors | / floor req/s "
        "| server CPU ms / req |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        w: WrkResult = row["wrk"]
        lines.append(
            f"| {row['page']} | `{row['url']}` | {row['mode']} | {row['status']} | {w.rps:.0f} | "
            f"{w.p50_ms:.1f} | {w.p99_ms:.1f} | {w.bad} | {w.errors} | {row['ratio']:.2f} | {row['cpu_ms']:.1f} |"
        )
    return header + "\n".join(lines) + "\n"


def run(rounds: int) -> str:
    """`rounds` is not used: each page is loaded for a fixed time instead."""
    return format_load(measure_load())
