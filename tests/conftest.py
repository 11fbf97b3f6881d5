"""Shared fixtures: the site tree, running queued tasks for real, and Debian's Chromium for Playwright."""

import os
import shutil

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django's ORM is used from the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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

    @contextmanager
    def runner():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        call_command("db_worker", batch=True, verbosity=0, interval=0)

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
