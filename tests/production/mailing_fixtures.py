"""Minimal production-stack pieces for the mailing crash tests: an SMTP sink and `db_worker` processes.

The worker runs as production runs it: `manage.py db_worker` under `portal.settings.production` (a test secret,
no HTTPS redirect), pointed at pytest-django's test database and at an aiosmtpd sink on a loopback port. Each
worker is started in its own session so that `os.killpg(pid, SIGKILL)` kills it with the processes it spawned
(the letters are rendered in child processes), as a crash or the kernel's OOM killer would.

Imported by `tests/production/test_mailing_crash.py` (fixtures are pulled in with `from ... import *`).
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

__all__ = ["smtp_sink", "start_worker", "wait_until"]

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SlowSink:
    """aiosmtpd handler: records each message as its data arrives, then answers after `delay` seconds.

    The delay keeps the worker waiting for the server's "250" for a moment, as a real mail server does: a kill
    then lands while a message is in flight (the server has it, the worker has not recorded it).
    """

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.messages: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.messages.append((recipient.lower(), str(message["Subject"] or "")))
        await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(recipient for recipient, _ in self.messages)


@pytest.fixture
def smtp_sink() -> Iterator[tuple[SlowSink, int]]:
    """An SMTP server on 127.0.0.1 (a free port) that keeps what it receives: `(sink, port)`."""
    sink = SlowSink(delay=0.08)
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def worker_environment(*, smtp_port: int, private_root: Path, extra: dict[str, str] | None = None) -> dict:
    """The environment of a production worker pointed at the test database and the sink."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PORTAL_", "EMAIL_", "DATABASE_", "REDIS_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DJANGO_SECRET_KEY": "worker-test-secret-key-that-is-long-enough-0123456789-abcdefghij",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "PORTAL_PRIVATE_MEDIA_ROOT": str(private_root),
            "PORTAL_BASE_URL": getattr(settings, "WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000"),
            "DJANGO_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


@pytest.fixture
def start_worker(tmp_path) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start `manage.py db_worker` processes (each in its own session); stopped at the end of the test.

    `start_worker(env)` returns the `Popen`; its output goes to `tmp_path / "worker-<n>.log"`.
    """
    processes: list[subprocess.Popen] = []

    def start(env: dict[str, str]) -> subprocess.Popen:
        log = open(tmp_path / f"worker-{len(processes) + 1}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", "-v", "2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log  # type: ignore[attr-defined]
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        process.log.close()


def wait_until(condition: Callable[[], object], *, timeout: float, interval: float = 0.05, what: str = ""):
    """Poll `condition` until it returns something true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout} s waiting for {what or condition}")
