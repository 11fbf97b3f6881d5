"""A mailing whose worker died: the state a crash leaves, the e-mail task run again, the office's resume.

These tests build the state a SIGKILL leaves (a delivery "sending", the others queued, nothing moving for an
hour) and run the real tasks through the worker; `tests/production/test_mailing_crash.py` kills a real one.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from portal.models import AuditEvent, NotificationBatch
from portal.notifications import selectors
from portal.notifications.models import BatchStatus, Channel, DeliveryStatus
from portal.notifications.services import (
    Audience,
    notification_resend_uncertain,
    notification_resume,
    notification_send,
)
from portal.notifications.tasks import notification_prepare, notification_render_letters

from . import notifications_factories as f
from .test_notifications_admin import ALLOWED, USERS, _login

pytestmark = pytest.mark.django_db

HOUR_AGO = datetime.timedelta(hours=1)


@pytest.fixture
def crashed_batch(django_capture_on_commit_callbacks):
    """Four e-mails and one letter; the worker died while handing the second e-mail to the mail server, an
    hour ago, after the first had left. Its queued tasks are gone (failed by the recovery, say)."""
    households = [f.household(members=[{"email": f"t{n}@example.org"}]) for n in range(4)]
    households.append(f.household(members=[{"last_name": "Papier"}]))
    with django_capture_on_commit_callbacks(execute=False):
        batch = notification_send(
            audience=Audience(households=households), message="portal/test_message", title="Crashed"
        )
    notification_prepare.call(batch.pk)
    DBTaskResult.objects.all().delete()
    emails = list(batch.deliveries.filter(channel=Channel.EMAIL).order_by("pk"))
    emails[0].status, emails[0].sent_at = DeliveryStatus.SENT, timezone.now() - HOUR_AGO
    emails[1].status = DeliveryStatus.SENDING
    for delivery in emails[:2]:
        delivery.attempts = 1
        delivery.save()
    batch.deliveries.update(updated_at=timezone.now() - HOUR_AGO)
    NotificationBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - HOUR_AGO)
    return NotificationBatch.objects.with_counts().get(pk=batch.pk)


def _statuses(batch) -> list[str]:
    return list(
        batch.deliveries.filter(channel=Channel.EMAIL).order_by("pk").values_list("status", flat=True)
    )


def test_batch_silent_for_longer_than_the_setting_is_shown_interrupted(crashed_batch, settings):
    settings.PORTAL_NOTIFICATIONS_STUCK_AFTER = 900
    assert selectors.batch_is_interrupted(crashed_batch)
    settings.PORTAL_NOTIFICATIONS_STUCK_AFTER = 2 * 3600
    assert not selectors.batch_is_interrupted(crashed_batch)


def test_resume_sends_what_is_left_never_what_was_sent_and_flags_the_one_in_flight(crashed_batch, run_tasks):
    worker = f.user_with_role(f.ROLES.COLLECTIVE_WORKERS)
    with run_tasks():
        result = notification_resume(batch=crashed_batch, actor=worker)
    assert result == {"emails": 2, "letters": 1, "uncertain": 1}
    assert sorted(m.to[0] for m in mail.outbox) == ["t2@example.org", "t3@example.org"]
    assert _statuses(crashed_batch) == ["sent", "uncertain", "sent", "sent"]
    crashed_batch.refresh_from_db()
    assert crashed_batch.status == BatchStatus.DONE
    assert crashed_batch.letters_pdf
    assert crashed_batch.deliveries.get(channel=Channel.LETTER).status == DeliveryStatus.READY
    assert AuditEvent.objects.filter(action="notification.resumed", actor=worker).exists()

    # The office chooses to send the uncertain one again (the tenant may get it twice).
    with run_tasks():
        assert notification_resend_uncertain(batch=crashed_batch, actor=worker) == 1
    assert [m.to[0] for m in mail.outbox][-1] == "t1@example.org"
    assert _statuses(crashed_batch) == ["sent"] * 4
    assert AuditEvent.objects.filter(action="notification.uncertain_resent").exists()


def test_email_task_run_again_after_a_crash_flags_the_one_in_flight_and_sends_the_rest(
    django_capture_on_commit_callbacks, run_tasks
):
    households = [f.household(members=[{"email": f"r{n}@example.org"}]) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=False):
        batch = notification_send(audience=Audience(households=households), message="portal/test_message")
    notification_prepare.call(batch.pk)  # queues the e-mail task, as the worker would
    first = batch.deliveries.order_by("pk").first()
    first.status = DeliveryStatus.SENDING  # the earlier run of that task died while sending it
    first.save()
    with run_tasks():
        pass
    assert sorted(m.to[0] for m in mail.outbox) == ["r1@example.org", "r2@example.org"]
    assert _statuses(batch) == ["uncertain", "sent", "sent"]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE


def test_resume_is_refused_while_the_batch_moves_and_once_it_is_done(crashed_batch, run_tasks, settings):
    settings.PORTAL_NOTIFICATIONS_STUCK_AFTER = 2 * 3600
    with translation.override("en"), pytest.raises(ValidationError, match="still being sent"):
        notification_resume(batch=crashed_batch)
    settings.PORTAL_NOTIFICATIONS_STUCK_AFTER = 900
    with run_tasks():
        notification_resume(batch=crashed_batch)
    with translation.override("en"), pytest.raises(ValidationError, match="nothing to resume"):
        notification_resume(batch=crashed_batch)
    with translation.override("en"), pytest.raises(ValidationError, match="no uncertain e-mails"):
        notification_resend_uncertain(batch=NotificationBatch.objects.create(title="x", message="m"))


def test_batch_whose_preparation_died_is_prepared_again_on_resume(
    django_capture_on_commit_callbacks, run_tasks
):
    h = f.household(members=[{"email": "p@example.org"}])
    with django_capture_on_commit_callbacks(execute=False):
        batch = notification_send(audience=Audience(households=[h]), message="portal/test_message")
    NotificationBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - HOUR_AGO)
    with run_tasks():
        notification_resume(batch=batch)
    assert [m.to for m in mail.outbox] == [["p@example.org"]]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE


def test_letters_task_run_again_replaces_its_file_instead_of_adding_one(
    django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    households = [f.household() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=False):
        batch = notification_send(
            audience=Audience(households=households), message="portal/test_message", hall_notices=True
        )
    notification_prepare.call(batch.pk)
    notification_render_letters.call(batch.pk)
    # A worker killed after writing the files but before recording them: the letters are still queued.
    batch.deliveries.update(status=DeliveryStatus.QUEUED)
    NotificationBatch.objects.filter(pk=batch.pk).update(letters_pdf="", notices_pdf="", status="processing")
    assert notification_render_letters.call(batch.pk)["letters"] == 3
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert {p.name for p in (tmp_path / "notifications" / "letters").iterdir()} == {
        f"batch-{batch.pk}-letters.pdf"
    }
    assert len(list((tmp_path / "notifications" / "notices").iterdir())) == 1
    assert batch.letters_pdf.open("rb").read(4) == b"%PDF"
    # Once recorded, a further run renders nothing again.
    assert notification_render_letters.call(batch.pk) == {"letters": 0}


@pytest.mark.parametrize("who", list(USERS))
def test_only_workers_and_administrators_see_and_use_resume_and_resend(client, crashed_batch, who, run_tasks):
    _login(client, who)
    detail = client.get(reverse("portal_notifications:detail", args=[crashed_batch.pk]))
    resume_url = reverse("portal_notifications:resume", args=[crashed_batch.pk])
    with run_tasks():
        response = client.post(resume_url)
    if who in ALLOWED:
        assert resume_url in detail.content.decode()
        assert response.status_code == 302
        assert _statuses(crashed_batch) == ["sent", "uncertain", "sent", "sent"]
        detail = client.get(reverse("portal_notifications:detail", args=[crashed_batch.pk])).content.decode()
        assert reverse("portal_notifications:resend_uncertain", args=[crashed_batch.pk]) in detail
    else:
        assert response.status_code in (302, 403)
        assert _statuses(crashed_batch) == ["sent", "sending", "queued", "queued"]
        assert mail.outbox == []
        response = client.post(reverse("portal_notifications:resend_uncertain", args=[crashed_batch.pk]))
        assert response.status_code in (302, 403)


def test_office_list_flags_the_interrupted_batch_and_not_the_others(client, crashed_batch):
    from django.utils.translation import gettext

    NotificationBatch.objects.create(title="Just sent", message="portal/test_message", status="processing")
    _login(client, "worker")
    response = client.get(reverse("portal_notifications:index"))
    with translation.override(response["Content-Language"]):
        badge = f'<span class="w-status w-status--label">{gettext("interrupted")}</span>'
    page = response.content.decode()
    assert page.count(badge) == 1
    assert page.index(badge) > page.index("Crashed") > page.index("Just sent")
