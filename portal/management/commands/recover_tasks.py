"""`manage.py recover_tasks`: queue again (or fail) the tasks that dead workers left RUNNING.

Every running `db_worker` already does this at start and periodically (`portal/worker/`); this command is for an
operator, or a timer on a machine whose workers are all stopped. Idempotent.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal.worker.recovery import tasks_recover_stale


class Command(BaseCommand):
    help = "Queue again the re-runnable tasks that dead workers left running; mark the others failed."

    def handle(self, *args, **options) -> None:
        report = tasks_recover_stale()
        self.stdout.write(f"{len(report.requeued)} task(s) queued again, {len(report.failed)} marked failed.")
