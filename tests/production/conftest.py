"""The production stack the README describes, started by the tests: nginx in front of gunicorn (production
settings), the task worker, Redis, and an SMTP sink standing for the mail server.

- `production_stack` (session): two redis-servers (rate-limit counters; the page cache), an aiosmtpd
  sink, gunicorn with `portal.settings.production` on the pytest-django test database, and nginx from Debian
  (`nginx-light`, installed by `.ci/ensure-system-packages`) on a free loopback port. nginx appends the client's
  address to X-Forwarded-For and sets X-Forwarded-Proto https (it stands for the TLS terminator); gunicorn trusts
  one proxy (`PORTAL_TRUSTED_PROXY_COUNT=1`).
- `stack` (per test): the same, with the migration data restored, the home pages, both Redis instances emptied and
  the sink's mailbox cleared. Tests that use it run in real transactions (the processes have their own connections):
  mark them `@pytest.mark.django_db(transaction=True)`.
- `db_worker`: `manage.py db_worker` with the same environment, to start, SIGKILL and restart.
- `stack.client(address)`: an HTTP client whose socket is bound to `address` (any 127.0.0.x), so that nginx sees a
  different visitor for each address; it keeps cookies (the production ones are `Secure`: the client plays the
  browser behind the TLS terminator) and sends the CSRF token and Origin a browser would.

Every process is started in its own session and its whole group is killed at teardown: no orphans.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from .stack import (
    GUNICORN,
    HOST,
    NGINX,
    ORIGIN,
    Process,
    ProductionStack,
    SmtpSink,
    collected_static,
    database_url,
    free_port,
    nginx_conf,
    start_redis,
    wait_for_django,
    wait_for_port,
)


@pytest.fixture(scope="session")
def production_stack(django_db_setup, django_db_blocker):
    """Redis x2, the SMTP sink, gunicorn (production settings, test database) and nginx in front of it."""
    from aiosmtpd.controller import Controller
    from django.conf import settings

    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: run .ci/ensure-system-packages (it installs nginx-light)")
    logs = Path(tempfile.mkdtemp(prefix="portal-stack-"))
    started: list[Process] = []
    smtp = SmtpSink()
    controller = Controller(smtp, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        redis = start_redis(logs, "redis", "--maxmemory-policy", "noeviction")
        started.append(redis.process)
        redis_pages = start_redis(
            logs, "redis-pages", "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"
        )
        started.append(redis_pages.process)
        with django_db_blocker.unblock():
            test_database = database_url()
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PORTAL_", "DATABASE_", "REDIS_", "EMAIL_"))
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "portal.settings.production",
                # The test process's key: codes and hashes written by the tests must verify in the stack.
                "DJANGO_SECRET_KEY": settings.SECRET_KEY,
                "DJANGO_ALLOWED_HOSTS": HOST,
                "DJANGO_LOG_LEVEL": "WARNING",
                "DATABASE_URL": test_database,
                "REDIS_URL": redis.url,
                "PORTAL_PAGE_CACHE_REDIS_URL": redis_pages.url,
                "PORTAL_TRUSTED_PROXY_COUNT": "1",
                "PORTAL_BASE_URL": ORIGIN,
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(controller.port),
                # Files written by the tests and by the stack are the same files.
                "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
                "PORTAL_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
                "PYTHONUNBUFFERED": "1",
            }
        )
        env["DJANGO_STATIC_ROOT"] = str(collected_static(env))
        gunicorn_port = free_port()
        gunicorn = Process(
            [
                str(GUNICORN),
                "portal.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{gunicorn_port}",
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "5",
            ],
            env=env,
            log=logs / "gunicorn.log",
        ).start()
        started.append(gunicorn)
        prefix = logs / "nginx"
        for sub in ("temp/body", "temp/proxy", "temp/fastcgi", "temp/uwsgi", "temp/scgi"):
            (prefix / sub).mkdir(parents=True)
        port = free_port()
        (prefix / "nginx.conf").write_text(nginx_conf(prefix, port, gunicorn_port))
        nginx = Process(
            [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")],
            env=dict(os.environ),
            log=prefix / "stdout.log",
        ).start()
        started.append(nginx)
        wait_for_port(port, nginx.popen, prefix / "error.log")
        wait_for_django(gunicorn_port, gunicorn)
        yield ProductionStack(
            port=port,
            env=env,
            logs=logs,
            smtp=smtp,
            redis=redis,
            redis_pages=redis_pages,
            gunicorn=gunicorn,
            nginx=nginx,
            gunicorn_port=gunicorn_port,
        )
    finally:
        for process in reversed(started):
            process.stop()
        controller.stop()
        shutil.rmtree(logs, ignore_errors=True)


@pytest.fixture
def stack(production_stack, restore_migration_data):
    """The production stack for one test: migration data back, home pages, empty caches and mailbox."""
    from home.demo import ensure_home_pages

    ensure_home_pages()
    production_stack.flush_caches()
    production_stack.smtp.clear()
    yield production_stack
    production_stack.flush_caches()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test that used the stack shows the end of gunicorn's and nginx's logs."""
    report = yield
    stack = getattr(item, "funcargs", {}).get("stack")
    if report.when == "call" and report.failed and stack is not None:
        report.sections.append(("production stack logs", stack.diagnostics()))
    return report


@pytest.fixture
def db_worker(production_stack):
    """A factory of task workers under production settings: `worker = db_worker(); worker.start()`, then
    `worker.kill()` (SIGKILL to its group) and `worker.start()` again; `db_worker("name", "--max-tasks", "1",
    SOME_SETTING="x")` adds arguments and environment variables. Every one is stopped at teardown."""
    workers: list[Process] = []

    def make(name: str = "worker", *args: str, **env: str) -> Process:
        worker = production_stack.worker(f"{name}-{len(workers)}", *args, **env)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()
