"""The worker's heartbeat thread: "this worker is alive" every few seconds, and the periodic recovery.

Started by `manage.py db_worker` (`portal/management/commands/db_worker.py`) around django-tasks-db's loop. The
thread has its own database connection and commits each write at once, independently of the task the worker is
running. The worker claims no task before the first heartbeat is written, so a live worker is never mistaken for
a dead one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator

from django.db import DatabaseError, connection
from django.utils import timezone

from .models import WorkerHeartbeat
from .recovery import dead_after, heartbeat_seconds, tasks_recover_stale

logger = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"worker-heartbeat-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()
        self.first_beat = threading.Event()
        self.started_at = timezone.now()

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": timezone.now()},
            create_defaults={
                "seen_at": timezone.now(),
                "started_at": self.started_at,
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
            },
        )

    def recover(self) -> None:
        report = tasks_recover_stale()
        if report:
            logger.warning(
                "Worker %s recovered tasks of dead workers: %d queued again, %d failed",
                self.worker_id,
                len(report.requeued),
                len(report.failed),
            )

    def run(self) -> None:
        interval = heartbeat_seconds()
        recover_every = dead_after().total_seconds() / 2
        next_recovery = 0.0
        try:
            while True:
                try:
                    self.beat()
                    if time.monotonic() >= next_recovery:
                        self.recover()
                        next_recovery = time.monotonic() + recover_every
                except DatabaseError:
                    logger.exception("Worker heartbeat could not be written; trying again")
                    connection.close()
                self.first_beat.set()
                if self.stopping.wait(interval):
                    break
        finally:
            with contextlib.suppress(DatabaseError):
                WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
            connection.close()


@contextlib.contextmanager
def worker_heartbeat(worker_id: str) -> Iterator[Heartbeat]:
    """Keep the heartbeat of `worker_id` while the block runs (the worker loop); stop it cleanly afterwards."""
    thread = Heartbeat(worker_id)
    thread.start()
    thread.first_beat.wait(timeout=30)
    try:
        yield thread
    finally:
        thread.stopping.set()
        thread.join(timeout=30)
