"""Background work of the notification service (django-tasks, run by `manage.py db_worker`).

`notification_prepare` resolves the recipients and queues one `notification_send_emails` task per chunk of
e-mails (one SMTP connection per chunk) and one `notification_render_letters` task for the letters PDF and the
hall notices. Tasks enqueue their follow-ups directly (they run outside any request transaction).

Every task can be run again after its worker died at any point (`portal.worker.recovery.rerunnable`): the
preparation is one transaction; each e-mail's status is committed before and after it is handed to the mail
server (queued -> sending -> sent), so a new run sends what is left and marks the one that was in flight
"uncertain" instead of sending it twice; the letters are rendered again into the same file name, replaced
whole, until their deliveries are recorded ready.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from portal.models import Building
from portal.worker.recovery import rerunnable

from .kinds import get_kind
from .models import BatchStatus, Channel, Delivery, DeliveryStatus, NotificationBatch
from .recipients import plan_deliveries
from .rendering import MessageRenderer, html_to_pdf, letter_jobs, letters_to_pdf

logger = logging.getLogger(__name__)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def email_chunk_size() -> int:
    return max(1, _setting("PORTAL_NOTIFICATIONS_EMAIL_CHUNK", 200))


def email_max_attempts() -> int:
    return max(1, _setting("PORTAL_NOTIFICATIONS_EMAIL_ATTEMPTS", 3))


def email_retry_delay() -> datetime.timedelta:
    return datetime.timedelta(seconds=_setting("PORTAL_NOTIFICATIONS_RETRY_DELAY", 300))


def letters_per_process() -> int:
    return max(1, _setting("PORTAL_NOTIFICATIONS_LETTERS_PER_PROCESS", 400))


def enqueue_email_chunks(batch_id: int, delivery_ids: list[int]) -> None:
    size = email_chunk_size()
    for start in range(0, len(delivery_ids), size):
        notification_send_emails.enqueue(batch_id, delivery_ids[start : start + size])


#: Deliveries a batch still waits for (an "uncertain" e-mail is not waited for: the office decides).
WAITING = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING)


def batch_finish_if_complete(batch_id: int) -> None:
    """Mark the batch done once no delivery is waiting and the PDFs it needs exist."""
    with transaction.atomic():
        batch = NotificationBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != BatchStatus.PROCESSING:
            return
        if Delivery.objects.filter(batch=batch, status__in=WAITING).exists():
            return
        if batch.hall_notices and not batch.notices_pdf and not batch.error:
            return
        batch.status = BatchStatus.DONE
        batch.save(update_fields=["status"])


@rerunnable
@task()
def notification_prepare(batch_id: int) -> dict[str, int]:
    """Resolve the audience into deliveries and queue the e-mails and letters."""
    with transaction.atomic():
        batch = NotificationBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != BatchStatus.QUEUED:
            return {}
        letters_allowed = get_kind(batch.message).letter
        deliveries = Delivery.objects.bulk_create(
            plan_deliveries(batch, letters=letters_allowed), batch_size=1000
        )
        batch.status = BatchStatus.PROCESSING
        batch.save(update_fields=["status"])
        email_ids = [d.pk for d in deliveries if d.channel == Channel.EMAIL]
        letters = len(deliveries) - len(email_ids)
        enqueue_email_chunks(batch.pk, email_ids)
        if letters or batch.hall_notices:
            notification_render_letters.enqueue(batch.pk)
    batch_finish_if_complete(batch_id)
    return {"emails": len(email_ids), "letters": letters}


def _claim(delivery: Delivery) -> bool:
    """Commit queued -> sending before the message leaves; False if another run took it meanwhile."""
    delivery.attempts += 1
    return bool(
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
        )
    )


def _record(delivery: Delivery, **fields) -> None:
    """Commit the outcome of a message this run claimed (also over "uncertain", if a new run marked it so)."""
    Delivery.objects.filter(
        pk=delivery.pk, status__in=(DeliveryStatus.SENDING, DeliveryStatus.UNCERTAIN)
    ).update(updated_at=timezone.now(), **fields)


@rerunnable
@task()
def notification_send_emails(batch_id: int, delivery_ids: list[int]) -> dict[str, int]:
    """Send one chunk of e-mails over one connection; failures are retried later, then recorded as failed.

    Each message's status is committed as it goes: a run started after a crash finds the ones already sent,
    sends the queued ones and marks "uncertain" the one the dead run had handed to the mail server.
    """
    batch = NotificationBatch.objects.get(pk=batch_id)
    uncertain = Delivery.objects.filter(
        pk__in=delivery_ids, channel=Channel.EMAIL, status=DeliveryStatus.SENDING
    ).update(status=DeliveryStatus.UNCERTAIN, updated_at=timezone.now())
    if uncertain:
        logger.warning(
            "Notification batch %s: %s e-mail(s) uncertain after a worker stopped", batch_id, uncertain
        )
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, channel=Channel.EMAIL, status=DeliveryStatus.QUEUED)
        .select_related("person", "household__dwelling__building")
        .order_by("pk")
    )
    renderer = MessageRenderer(batch)
    retry: list[int] = []
    sent = failed = 0
    connection = get_connection(fail_silently=False)
    connection_error = None
    if deliveries:
        try:
            connection.open()
        except Exception as exc:  # noqa: BLE001 - any mail server problem is recorded and retried
            connection_error = exc
    for delivery in deliveries:
        try:
            message = renderer.email(delivery, connection=connection)
        except Exception as exc:  # noqa: BLE001 - a template error is recorded on the delivery
            message, error = None, exc
        if not _claim(delivery):
            continue
        try:
            if message is None:
                raise error
            if connection_error is not None:
                raise connection_error
            message.send()
        except Exception as exc:  # noqa: BLE001 - recorded on the delivery, shown in the admin
            text = f"{type(exc).__name__}: {exc}"[:2000]
            if delivery.attempts >= email_max_attempts():
                _record(delivery, status=DeliveryStatus.FAILED, error=text)
                logger.warning("Notification e-mail %s failed: %s", delivery.pk, text)
                failed += 1
            else:
                _record(delivery, status=DeliveryStatus.QUEUED, error=text)
                retry.append(delivery.pk)
        else:
            _record(delivery, status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")
            sent += 1
    with contextlib.suppress(Exception):  # closing a broken connection must not lose the results
        connection.close()
    if retry:
        notification_send_emails.using(run_after=timezone.now() + email_retry_delay()).enqueue(
            batch_id, retry
        )
    batch_finish_if_complete(batch_id)
    return {"sent": sent, "retry": len(retry), "failed": failed, "uncertain": uncertain}


@rerunnable
@task()
def notification_render_letters(batch_id: int) -> dict[str, int]:
    """Render every queued letter of the batch into one PDF (and the hall notices), in private storage.

    Run again after a crash, it renders the letters still queued into the same file name (replaced whole) and
    skips the notices already made; the letters become "ready" only once their PDF is recorded on the batch.
    """
    batch = NotificationBatch.objects.get(pk=batch_id)
    letters = list(
        Delivery.objects.filter(batch=batch, channel=Channel.LETTER, status=DeliveryStatus.QUEUED)
        .select_related("person", "household__dwelling__building")
        .order_by("pk")
    )
    notices_needed = batch.hall_notices and not batch.notices_pdf
    if not letters and not notices_needed:
        batch_finish_if_complete(batch_id)
        return {"letters": 0}
    renderer = MessageRenderer(batch)
    now = timezone.now()
    # Progress the office can see: the letters are being rendered (a batch silent for long looks interrupted).
    Delivery.objects.filter(pk__in=[d.pk for d in letters]).update(updated_at=now)
    storage = batch.letters_pdf.storage
    timings = {"html_seconds": 0.0, "pdf_seconds": 0.0}
    letters_name = batch.letters_pdf.name or ""
    notices_name = batch.notices_pdf.name or ""
    try:
        if letters:
            started = time.perf_counter()
            pages = renderer.letter_pages(letters)
            jobs = letter_jobs(renderer, pages, letters_per_process())
            timings["html_seconds"] = round(time.perf_counter() - started, 2)
            pdf = letters_to_pdf(jobs)
            timings["pdf_seconds"] = round(time.perf_counter() - started - timings["html_seconds"], 2)
            letters_name = storage.replace(f"notifications/letters/batch-{batch.pk}-letters.pdf", pdf)
        if notices_needed:
            buildings = (
                Building.objects.filter(dwellings__households__deliveries__batch=batch)
                .distinct()
                .order_by("postcode", "street", "number")
            )
            pdf = html_to_pdf(renderer.notices_html(buildings))
            notices_name = storage.replace(f"notifications/notices/batch-{batch.pk}-notices.pdf", pdf)
    except Exception as exc:
        logger.exception("Letters of notification batch %s could not be rendered", batch.pk)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        Delivery.objects.filter(pk__in=[d.pk for d in letters]).update(
            status=DeliveryStatus.FAILED, error=error, attempts=1
        )
        NotificationBatch.objects.filter(pk=batch.pk).update(error=error)
        batch_finish_if_complete(batch_id)
        return {"letters": 0}
    with transaction.atomic():
        generated = {"letters_generated_at": now} if letters else {}
        NotificationBatch.objects.filter(pk=batch.pk).update(
            letters_pdf=letters_name, notices_pdf=notices_name, **generated
        )
        Delivery.objects.filter(pk__in=[d.pk for d in letters], status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.READY, attempts=1, updated_at=timezone.now()
        )
    batch_finish_if_complete(batch_id)
    return {"letters": len(letters), **timings}
