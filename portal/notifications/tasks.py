"""Background work of the notification service (django-tasks, run by `manage.py db_worker`).

`notification_prepare` resolves the recipients and queues one `notification_send_emails` task per chunk of
e-mails (one SMTP connection per chunk) and one `notification_render_letters` task for the letters PDF and the
hall notices. Tasks enqueue their follow-ups directly (they run outside any request transaction).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from portal.models import Building

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


def batch_finish_if_complete(batch_id: int) -> None:
    """Mark the batch done once no delivery is waiting and the PDFs it needs exist."""
    with transaction.atomic():
        batch = NotificationBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != BatchStatus.PROCESSING:
            return
        if Delivery.objects.filter(batch=batch, status=DeliveryStatus.QUEUED).exists():
            return
        if batch.hall_notices and not batch.notices_pdf and not batch.error:
            return
        batch.status = BatchStatus.DONE
        batch.save(update_fields=["status"])


@task()
def notification_prepare(batch_id: int) -> dict[str, int]:
    """Resolve the audience into deliveries and queue the e-mails and letters."""
    with transaction.atomic():
        batch = NotificationBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != BatchStatus.QUEUED:
            return {}
        deliveries = Delivery.objects.bulk_create(plan_deliveries(batch), batch_size=1000)
        batch.status = BatchStatus.PROCESSING
        batch.save(update_fields=["status"])
        email_ids = [d.pk for d in deliveries if d.channel == Channel.EMAIL]
        letters = len(deliveries) - len(email_ids)
        enqueue_email_chunks(batch.pk, email_ids)
        if letters or batch.hall_notices:
            notification_render_letters.enqueue(batch.pk)
    batch_finish_if_complete(batch_id)
    return {"emails": len(email_ids), "letters": letters}


@task()
def notification_send_emails(batch_id: int, delivery_ids: list[int]) -> dict[str, int]:
    """Send one chunk of e-mails over one connection; failures are retried later, then recorded as failed."""
    batch = NotificationBatch.objects.get(pk=batch_id)
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, channel=Channel.EMAIL, status=DeliveryStatus.QUEUED)
        .select_related("person", "household__dwelling__building")
        .order_by("pk")
    )
    renderer = MessageRenderer(batch)
    retry: list[int] = []
    connection = get_connection(fail_silently=False)
    connection_error = None
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - any mail server problem is recorded and retried
        connection_error = exc
    for delivery in deliveries:
        delivery.attempts += 1
        try:
            if connection_error is not None:
                raise connection_error
            renderer.email(delivery, connection=connection).send()
        except Exception as exc:  # noqa: BLE001 - recorded on the delivery, shown in the admin
            delivery.error = f"{type(exc).__name__}: {exc}"[:2000]
            if delivery.attempts >= email_max_attempts():
                delivery.status = DeliveryStatus.FAILED
                logger.warning("Notification e-mail %s failed: %s", delivery.pk, delivery.error)
            else:
                retry.append(delivery.pk)
        else:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.error = ""
    with contextlib.suppress(Exception):  # closing a broken connection must not lose the results
        connection.close()
    Delivery.objects.bulk_update(deliveries, ["status", "attempts", "error", "sent_at", "updated_at"])
    if retry:
        notification_send_emails.using(run_after=timezone.now() + email_retry_delay()).enqueue(
            batch_id, retry
        )
    batch_finish_if_complete(batch_id)
    sent = sum(1 for d in deliveries if d.status == DeliveryStatus.SENT)
    return {"sent": sent, "retry": len(retry), "failed": len(deliveries) - sent - len(retry)}


@task()
def notification_render_letters(batch_id: int) -> dict[str, int]:
    """Render every queued letter of the batch into one PDF (and the hall notices), in private storage."""
    batch = NotificationBatch.objects.get(pk=batch_id)
    letters = list(
        Delivery.objects.filter(batch=batch, channel=Channel.LETTER, status=DeliveryStatus.QUEUED)
        .select_related("person", "household__dwelling__building")
        .order_by("pk")
    )
    renderer = MessageRenderer(batch)
    now = timezone.now()
    timings = {"html_seconds": 0.0, "pdf_seconds": 0.0}
    try:
        if letters:
            started = time.perf_counter()
            pages = renderer.letter_pages(letters)
            size = letters_per_process()
            jobs = letter_jobs(renderer, pages, size)
            timings["html_seconds"] = round(time.perf_counter() - started, 2)
            pdf = letters_to_pdf(jobs)
            timings["pdf_seconds"] = round(time.perf_counter() - started - timings["html_seconds"], 2)
            batch.letters_pdf.save(
                f"batch-{batch.pk}-letters-{now:%Y%m%d%H%M%S}.pdf", ContentFile(pdf), save=False
            )
            batch.letters_generated_at = now
        if batch.hall_notices:
            buildings = (
                Building.objects.filter(dwellings__households__deliveries__batch=batch)
                .distinct()
                .order_by("postcode", "street", "number")
            )
            pdf = html_to_pdf(renderer.notices_html(buildings))
            batch.notices_pdf.save(
                f"batch-{batch.pk}-notices-{now:%Y%m%d%H%M%S}.pdf", ContentFile(pdf), save=False
            )
    except Exception as exc:
        logger.exception("Letters of notification batch %s could not be rendered", batch.pk)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        Delivery.objects.filter(pk__in=[d.pk for d in letters]).update(
            status=DeliveryStatus.FAILED, error=error, attempts=1
        )
        NotificationBatch.objects.filter(pk=batch.pk).update(error=error)
        batch_finish_if_complete(batch_id)
        return {"letters": 0}
    NotificationBatch.objects.filter(pk=batch.pk).update(
        letters_pdf=batch.letters_pdf.name or "",
        notices_pdf=batch.notices_pdf.name or "",
        letters_generated_at=batch.letters_generated_at,
    )
    Delivery.objects.filter(pk__in=[d.pk for d in letters]).update(
        status=DeliveryStatus.READY, attempts=1, updated_at=now
    )
    batch_finish_if_complete(batch_id)
    return {"letters": len(letters), **timings}
