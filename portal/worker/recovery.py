"""Tasks left RUNNING by a dead worker: queued again (re-runnable functions) or marked failed.

A function is declared re-runnable with `@rerunnable` above its `@task()`: it promises that running it again
after it was interrupted at any point does no harm (it finds what an earlier run already did and does the rest).
The notification tasks are written that way (each delivery's status is committed as it is sent); so are
Wagtail's own index and cache tasks (listed in `THIRD_PARTY_RERUNNABLE`).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

#: Wagtail's tasks only recompute an index, a focal point or a cache purge: running them twice is harmless.
THIRD_PARTY_RERUNNABLE = frozenset(
    {
        "wagtail.tasks.update_reference_index_task",
        "wagtail.tasks.delete_file_from_storage_task",
        "wagtail.images.tasks.set_image_focal_point_task",
        "wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task",
    }
)
_RERUNNABLE: set[str] = set()


def rerunnable(task: Task) -> Task:
    """Declare a task safe to run again after a worker died while running it (see the module docstring)."""
    _RERUNNABLE.add(task.module_path)
    return task


def is_rerunnable(task_path: str) -> bool:
    if task_path in THIRD_PARTY_RERUNNABLE:
        return True
    try:
        import_string(task_path)  # importing the module runs its `@rerunnable` declarations
    except ImportError:
        return False
    return task_path in _RERUNNABLE


class WorkerLost(Exception):
    """Recorded as the error of a task whose worker died while running it (never raised)."""


def heartbeat_seconds() -> float:
    return max(0.1, float(getattr(settings, "PORTAL_WORKER_HEARTBEAT_SECONDS", 10)))


def dead_after() -> datetime.timedelta:
    """How long a worker may stay silent before its running task is taken from it (several heartbeats)."""
    seconds = float(getattr(settings, "PORTAL_WORKER_DEAD_AFTER_SECONDS", 60))
    return datetime.timedelta(seconds=max(seconds, 2 * heartbeat_seconds()))


def max_runs() -> int:
    return max(1, int(getattr(settings, "PORTAL_TASKS_MAX_RUNS", 3)))


@dataclasses.dataclass
class RecoveryReport:
    requeued: list[str] = dataclasses.field(default_factory=list)
    failed: list[str] = dataclasses.field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.requeued or self.failed)


def tasks_recover_stale(*, now: datetime.datetime | None = None) -> RecoveryReport:
    """Queue again (or fail) every task RUNNING for a worker that is no longer alive. Idempotent.

    A worker is alive while its heartbeat is younger than `dead_after()`. A task claimed by a worker that has no
    heartbeat row at all (it stopped cleanly since, or it never wrote one) counts as dead once it has been
    running for `dead_after()`. Rows are locked with SKIP LOCKED, so workers recovering at the same time share
    the work instead of doing it twice.
    """
    now = now or timezone.now()
    limit = now - dead_after()
    report = RecoveryReport()
    with transaction.atomic():
        alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=limit).values_list("worker_id", flat=True))
        candidates = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status=TaskResultStatus.RUNNING, started_at__lt=limit)
            .order_by("started_at")
        )
        for row in candidates:
            worker = row.worker_ids[-1] if row.worker_ids else ""
            if worker in alive:
                continue
            if is_rerunnable(row.task_path) and len(row.worker_ids) < max_runs():
                row.status = TaskResultStatus.READY
                row.started_at = None
                row.save(update_fields=["status", "started_at"])
                report.requeued.append(str(row.pk))
                logger.warning("Task %s (%s) of dead worker %s queued again", row.pk, row.task_path, worker)
                continue
            row.status = TaskResultStatus.FAILED
            row.finished_at = now
            row.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
            row.traceback = (
                f"The worker {worker or '?'} stopped (killed or crashed) while running this task, "
                f"after {len(row.worker_ids)} run(s); it was not queued again "
                + ("(too many runs died)." if is_rerunnable(row.task_path) else "(not declared re-runnable).")
            )
            row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            report.failed.append(str(row.pk))
            logger.error("Task %s (%s) of dead worker %s marked failed", row.pk, row.task_path, worker)
        # Heartbeats of workers long gone (they died without deleting their row).
        WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()
    return report
