"""`manage.py db_worker`: django-tasks-db's worker with the portal's heartbeat and stale-task recovery.

The `portal` app comes before `django_tasks_db` in INSTALLED_APPS, so this command replaces the library's one of
the same name (same options). See `portal/worker/` for what the heartbeat and the recovery do.
"""

from __future__ import annotations

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from portal.worker.heartbeat import worker_heartbeat


class Command(DatabaseWorkerCommand):
    help = (
        "Run a database background worker; it records a heartbeat and queues again the tasks that dead "
        "workers left running."
    )

    def handle(self, *args, **options) -> None:
        if options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # The autoreloader's parent process only watches files; its child process runs the worker.
            return super().handle(*args, **options)
        with worker_heartbeat(options["worker_id"]):
            return super().handle(*args, **options)
