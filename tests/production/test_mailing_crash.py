"""A worker killed with SIGKILL in the middle of a mailing: after a restart every e-mail has left exactly once
(counted at a real SMTP server) or is flagged "uncertain" (at most the one in flight), the batch ends done and
the letters PDF exists.

The worker is the production one (`manage.py db_worker`, `portal.settings.production`), started as a process
of its own against the test database; the mail server is an aiosmtpd sink on a loopback port.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile

import pytest
from django.db import connection
from django.urls import reverse

from meetings import services as meeting_services
from portal.models import NotificationBatch
from portal.notifications.models import BatchStatus, Channel, DeliveryStatus

from ..meetings import factories as f
from .mailing_fixtures import *  # noqa: F403 - fixtures: smtp_sink, start_worker
from .mailing_fixtures import wait_until, worker_environment

pytestmark = pytest.mark.django_db(transaction=True)

EMAILS = 75
LETTERS = 25
# The worker's liveness signal: written every second, a worker silent for 4 s is dead (production: 10 s / 60 s).
FAST_RECOVERY = {"PORTAL_WORKER_HEARTBEAT_SECONDS": "1", "PORTAL_WORKER_DEAD_AFTER_SECONDS": "4"}


def _minutes_ready_for(hood, *, emails: int, letters: int):
    for n in range(emails):
        f.household(hood, email=f"tenant{n:03d}@example.org", language=("fr", "nl", "")[n % 3])
    for _ in range(letters):
        f.household(hood)
    author = f.worker(hood)
    meeting = f.held_meeting(hood, actor=author)
    f.minutes_ready(meeting, author=author, reviewer=f.worker(hood))
    # Only the minutes go to the worker: the invitation queued by the agenda (and Wagtail's own tasks) are dropped.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    NotificationBatch.objects.all().delete()
    return meeting, author


def _pdf_text(path: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True
    ).stdout


def _assert_sent_once_or_uncertain(batch, sink) -> None:
    per_recipient = sink.per_recipient()
    deliveries = list(batch.deliveries.filter(channel=Channel.EMAIL))
    assert len(deliveries) == EMAILS
    statuses = {d.email: d.status for d in deliveries}
    assert set(per_recipient) <= set(statuses), "the sink received mail for an address outside the batch"
    uncertain = [email for email, status in statuses.items() if status == DeliveryStatus.UNCERTAIN]
    assert len(uncertain) <= 1, f"more than the one in flight is uncertain: {uncertain}"
    for email, status in statuses.items():
        if status == DeliveryStatus.SENT:
            assert per_recipient[email] == 1, f"{email}: {per_recipient[email]} messages"
        else:
            assert status == DeliveryStatus.UNCERTAIN, f"{email} ended {status}"
            assert per_recipient[email] <= 1


def test_worker_killed_after_ten_emails_resumes_without_losing_or_repeating_any(
    restore_migration_data, smtp_sink, start_worker, tmp_path, settings
):
    sink, port = smtp_sink
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    env = worker_environment(smtp_port=port, private_root=settings.PRIVATE_MEDIA_ROOT, extra=FAST_RECOVERY)
    hood = f.neighbourhood()
    meeting, author = _minutes_ready_for(hood, emails=EMAILS, letters=LETTERS)
    meeting_services.minutes_publish(actor=author, meeting=meeting)
    batch = NotificationBatch.objects.get(message="meetings/minutes")

    first = start_worker(env)
    wait_until(lambda: sink.count() >= 10, timeout=90, what="10 e-mails at the sink")
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    at_kill = sink.count()
    assert at_kill < EMAILS, "the kill came too late to interrupt the mailing"

    # What the crash left: every message that reached the server is recorded as sent, except the one in flight.
    recorded = batch.deliveries.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).count()
    assert recorded in (at_kill, at_kill - 1)
    in_flight = batch.deliveries.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENDING).count()
    assert in_flight <= 1

    start_worker(env)
    wait_until(
        lambda: NotificationBatch.objects.filter(pk=batch.pk, status=BatchStatus.DONE).exists(),
        timeout=120,
        what="the batch to be done after the restart",
    )
    batch.refresh_from_db()
    _assert_sent_once_or_uncertain(batch, sink)
    assert sink.count() >= EMAILS - 1
    letters = batch.deliveries.filter(channel=Channel.LETTER)
    assert letters.count() == LETTERS
    assert set(letters.values_list("status", flat=True)) == {DeliveryStatus.READY}
    text = _pdf_text(batch.letters_pdf.path)
    assert all(line in text for d in letters for line in d.address.splitlines()[1:2])
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.filter(status="RUNNING").exists()


def test_worker_killed_while_rendering_the_letters_rebuilds_them_after_the_office_resumes(
    restore_migration_data, smtp_sink, start_worker, tmp_path, settings, client
):
    """No automatic recovery this time (the dead worker is declared dead only after an hour): the office sees
    the batch interrupted and resumes it; the letters PDF is rendered again, no e-mail leaves twice."""
    from django_tasks_db.models import DBTaskResult

    sink, port = smtp_sink
    sink.delay = 0
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PORTAL_NOTIFICATIONS_STUCK_AFTER = 0
    env = worker_environment(
        smtp_port=port,
        private_root=settings.PRIVATE_MEDIA_ROOT,
        extra={"PORTAL_WORKER_HEARTBEAT_SECONDS": "1", "PORTAL_WORKER_DEAD_AFTER_SECONDS": "3600"},
    )
    hood = f.neighbourhood()
    meeting, author = _minutes_ready_for(hood, emails=10, letters=300)
    meeting_services.minutes_publish(actor=author, meeting=meeting)
    batch = NotificationBatch.objects.get(message="meetings/minutes")

    first = start_worker(env)
    wait_until(
        lambda: DBTaskResult.objects.filter(
            task_path__endswith="notification_render_letters", status="RUNNING"
        ).exists(),
        timeout=90,
        what="the letters task to start",
    )
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    batch.refresh_from_db()
    assert not batch.letters_pdf, "the kill came too late: the letters were already rendered"
    assert sink.count() == 10

    client.force_login(author)
    resume_url = reverse("portal_notifications:resume", args=[batch.pk])
    assert resume_url in client.get(reverse("portal_notifications:detail", args=[batch.pk])).content.decode()
    response = client.post(resume_url)
    assert response.status_code == 302

    start_worker(env)
    wait_until(
        lambda: NotificationBatch.objects.filter(pk=batch.pk, status=BatchStatus.DONE).exists(),
        timeout=180,
        what="the batch to be done after the resume",
    )
    batch.refresh_from_db()
    assert sink.count() == 10
    assert set(batch.deliveries.filter(channel=Channel.LETTER).values_list("status", flat=True)) == {
        DeliveryStatus.READY
    }
    with tempfile.TemporaryDirectory():
        pages = subprocess.run(
            ["pdfinfo", batch.letters_pdf.path], capture_output=True, text=True, check=True
        )
    assert "Pages:" in pages.stdout
    # One letters file per batch: the half-written one of the killed job does not stay beside it.
    assert len(list((settings.PRIVATE_MEDIA_ROOT / "notifications" / "letters").iterdir())) == 1
    assert connection.settings_dict["NAME"].startswith("test_")
