"""Shared fixtures: the site tree, running queued tasks for real, and Debian's Chromium for Playwright."""

import os
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django's ORM is used from the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

#: The database the settings name, read before pytest-django points the connection at the test database.
_CONFIGURED_DATABASE_NAME = settings.DATABASES["default"]["NAME"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (never a downloaded browser), with the flags this closed network needs."""
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _source_language():
    """Every test starts in English, the source language, whatever an earlier test left active (a request through
    the test client activates its page's language for the rest of the thread): a file run alone behaves as in the
    whole suite. Pages still render in the language of their address; a test that needs another language for a
    service's message overrides it."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def home_pages(db):
    """One home page per language (FR is the default site's root), as `make run` sets them up."""
    from home.demo import ensure_home_pages

    return ensure_home_pages()


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run every queued background task through the real worker (`db_worker --batch`).

    Usage: `with run_tasks(): <code that queues tasks>`: on_commit callbacks are executed when the block ends,
    then the worker processes the queue and exits.
    """
    from contextlib import contextmanager

    from django_tasks_db.management.commands import db_worker

    @contextmanager
    def runner():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        # The worker closes "old" connections between tasks; in a test that would close the test's own
        # connection (and its transaction), so keep it open while the worker runs in this process.
        original = db_worker.close_old_connections
        db_worker.close_old_connections = lambda: None
        try:
            call_command("db_worker", batch=True, verbosity=0, interval=0)
        finally:
            db_worker.close_old_connections = original

    return runner


@pytest.fixture
def solve_captcha():
    """Return the right answer for the captcha shown in a rendered form (read from django-simple-captcha's store).

    Usage: `data.update(solve_captcha(response))` where response is the GET of the form page.
    """
    import re

    from captcha.models import CaptchaStore

    def solver(response_or_html, field: str = "captcha") -> dict[str, str]:
        html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
        key = re.search(rf'name="{field}_0" value="([0-9a-f]+)"', html).group(1)
        return {f"{field}_0": key, f"{field}_1": CaptchaStore.objects.get(hashkey=key).response}

    return solver


@pytest.fixture(scope="session", autouse=True)
def migration_data(django_db_setup, django_db_blocker):
    """The rows that migrations create (role groups, Wagtail's root page and collection, workflows), serialized once
    at the start of the session, before Playwright runs (its sync API runs tests in a greenlet where Django's
    connection object no longer carries the serialized copy that `serialized_rollback` relies on).

    Transactional tests (every browser test) end with a flush that deletes those rows; `restore_migration_data`
    puts them back, and the end of the session does too, so a reused test database stays whole.

    When no collected test uses the database (`PYTEST_ARGS="tests/elections/test_tally.py"`), pytest-django creates
    no test database and the connection still names the configured one, which may not exist (or may be a real
    one): then nothing is read, and nothing is flushed or restored at the end.
    """
    from django.db import connection

    if connection.settings_dict["NAME"] == _CONFIGURED_DATABASE_NAME:
        yield None
        return
    with django_db_blocker.unblock():
        data = (
            getattr(connection, "_test_serialized_contents", None)
            or connection.creation.serialize_db_to_string()
        )
    yield data
    with django_db_blocker.unblock():
        _restore_if_flushed(data)


def _restore_if_flushed(data: str) -> None:
    from django.contrib.auth.models import Group
    from django.db import connection

    from portal import roles

    if not Group.objects.filter(name=roles.COLLECTIVE_WORKERS).exists():
        from django.apps import apps
        from django.core.management.color import no_style

        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(data)
        # The flush reset the id sequences to 1 while the restored rows keep their ids: move the sequences on.
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        # Content types cached in this process may carry the ids the flush's post_migrate gave them.
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


@pytest.fixture
def restore_migration_data(migration_data, transactional_db):
    """For transactional tests: bring back the migration data an earlier transactional test flushed away."""
    _restore_if_flushed(migration_data)
