"""Tasks left RUNNING by a dead worker are queued again (re-runnable ones) or failed; live workers keep theirs.

The end-to-end proof with a real worker killed by SIGKILL is `tests/production/test_mailing_crash.py`.
"""

from __future__ import annotations

import datetime
import io
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from portal.worker.heartbeat import worker_heartbeat
from portal.worker.models import WorkerHeartbeat
from portal.worker.recovery import is_rerunnable, rerunnable, tasks_recover_stale

pytestmark = pytest.mark.django_db


@rerunnable
@task()
def safe_to_run_again() -> None:
    """A task that promises to be re-runnable."""


@task()
def not_declared() -> None:
    """A task that does not (it might, say, send a message twice)."""


def _running(task_, *, worker: str, started_ago: float, runs: int = 1) -> DBTaskResult:
    result = task_.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING",
        started_at=timezone.now() - datetime.timedelta(seconds=started_ago),
        worker_ids=[f"earlier-{n}" for n in range(runs - 1)] + [worker],
    )
    return DBTaskResult.objects.get(pk=result.id)


def _heartbeat(worker: str, *, seen_ago: float) -> None:
    seen = timezone.now() - datetime.timedelta(seconds=seen_ago)
    WorkerHeartbeat.objects.create(worker_id=worker, started_at=seen, seen_at=seen, hostname="host", pid=1)


@pytest.fixture(autouse=True)
def timeouts(settings):
    settings.PORTAL_WORKER_HEARTBEAT_SECONDS = 10
    settings.PORTAL_WORKER_DEAD_AFTER_SECONDS = 60


def test_task_of_a_silent_worker_is_queued_again_when_re_runnable_and_failed_otherwise():
    _heartbeat("dead", seen_ago=300)
    safe = _running(safe_to_run_again, worker="dead", started_ago=600)
    unsafe = _running(not_declared, worker="dead", started_ago=600)
    report = tasks_recover_stale()
    safe.refresh_from_db()
    unsafe.refresh_from_db()
    assert (safe.status, safe.started_at) == ("READY", None)
    assert unsafe.status == "FAILED"
    assert unsafe.exception_class_path == "portal.worker.recovery.WorkerLost"
    assert "not declared re-runnable" in unsafe.traceback
    assert (report.requeued, report.failed) == ([str(safe.pk)], [str(unsafe.pk)])
    # Run again (another worker, the timer): nothing more happens.
    assert not tasks_recover_stale()


def test_task_of_a_live_worker_is_left_alone_however_long_it_runs():
    _heartbeat("alive", seen_ago=5)
    long_one = _running(safe_to_run_again, worker="alive", started_ago=3 * 3600)
    assert not tasks_recover_stale()
    long_one.refresh_from_db()
    assert long_one.status == "RUNNING"


def test_task_of_a_worker_without_heartbeat_is_taken_only_once_it_ran_longer_than_the_timeout():
    recent = _running(safe_to_run_again, worker="gone", started_ago=30)
    old = _running(safe_to_run_again, worker="gone", started_ago=61)
    tasks_recover_stale()
    recent.refresh_from_db()
    old.refresh_from_db()
    assert (recent.status, old.status) == ("RUNNING", "READY")


def test_task_whose_runs_died_three_times_is_failed_instead_of_looping(settings):
    settings.PORTAL_TASKS_MAX_RUNS = 3
    third = _running(safe_to_run_again, worker="dead", started_ago=600, runs=3)
    second = _running(safe_to_run_again, worker="dead", started_ago=600, runs=2)
    tasks_recover_stale()
    third.refresh_from_db()
    second.refresh_from_db()
    assert (third.status, second.status) == ("FAILED", "READY")
    assert "too many runs died" in third.traceback


def test_requeued_task_is_run_by_the_next_worker(run_tasks):
    _running(safe_to_run_again, worker="dead", started_ago=600)
    tasks_recover_stale()
    with run_tasks():
        pass
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_our_tasks_and_wagtails_index_tasks_are_declared_re_runnable():
    assert is_rerunnable("portal.notifications.tasks.notification_prepare")
    assert is_rerunnable("portal.notifications.tasks.notification_send_emails")
    assert is_rerunnable("portal.notifications.tasks.notification_render_letters")
    assert is_rerunnable("meetings.tasks.send_scheduled_invitation")
    assert is_rerunnable("wagtail.tasks.update_reference_index_task")
    assert not is_rerunnable("tests.portal.test_worker_recovery.not_declared")
    assert not is_rerunnable("no.such.module.task")


def test_recover_tasks_command_reports_what_it_did():
    _running(safe_to_run_again, worker="dead", started_ago=600)
    _running(not_declared, worker="dead", started_ago=600)
    out = io.StringIO()
    call_command("recover_tasks", stdout=out)
    assert out.getvalue().strip() == "1 task(s) queued again, 1 marked failed."


@pytest.mark.django_db(transaction=True)
def test_worker_heartbeat_is_refreshed_while_the_worker_runs_and_removed_when_it_stops(settings):
    settings.PORTAL_WORKER_HEARTBEAT_SECONDS = 0.2
    with worker_heartbeat("w-test") as beat:
        first = WorkerHeartbeat.objects.get(worker_id="w-test")
        time.sleep(0.7)
        later = WorkerHeartbeat.objects.get(worker_id="w-test")
        assert later.seen_at > first.seen_at
        assert beat.is_alive()
    assert not WorkerHeartbeat.objects.filter(worker_id="w-test").exists()
