"""Fixtures for the meetings tests."""

import pytest


@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch):
    """`db_worker` calls close_old_connections(), which would drop the connection holding the test transaction
    (autocommit is off inside it); the worker runs in the test's process, so keep that connection open."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
