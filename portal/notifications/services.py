"""State changes of the notification service. See the package docstring for how an app defines a message."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.services import audit_record

from .audience import Address, Audience
from .kinds import MessageKind, get_kind, is_registered
from .models import BatchStatus, Channel, Delivery, DeliveryStatus, NotificationBatch

__all__ = [
    "Address",
    "Audience",
    "notification_letters_mark_printed",
    "notification_resend_uncertain",
    "notification_resume",
    "notification_retry_failed",
    "notification_send",
]


def _kind(message: MessageKind | str) -> MessageKind:
    """The registered kind (given as the object, or by its registered name); refused if no app registered it."""
    try:
        kind = get_kind(message) if isinstance(message, str) else message
    except LookupError as exc:
        raise ValidationError(
            _("“%(message)s” is not a registered message kind.") % {"message": message}
        ) from exc
    if not is_registered(kind):
        raise ValidationError(_("“%(message)s” is not a registered message kind.") % {"message": kind})
    return kind


@transaction.atomic
def notification_send(
    *,
    audience: Audience,
    message: MessageKind | str,
    context: dict[str, Any] | None = None,
    hall_notices: bool = False,
    related: models.Model | None = None,
    actor: Any = None,
    title: str = "",
) -> NotificationBatch:
    """Record a notification and queue its delivery (e-mails and letters) for the background worker.

    `message`: a kind registered at start-up (`kinds.py`), or its name. Runs in the caller's transaction:
    nothing is sent if it rolls back.
    """
    kind = _kind(message)
    try:
        json.dumps(context or {})
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            _("The context of a notification must hold only plain values (ids, text, numbers).")
        ) from exc
    audience.validate()
    batch = NotificationBatch.objects.create(
        title=(title or kind.name)[:200],
        message=kind.name,
        context=context or {},
        audience=audience.as_json(),
        hall_notices=hall_notices,
        related_content_type=ContentType.objects.get_for_model(related) if related is not None else None,
        related_object_id=str(related.pk) if related is not None else "",
        related_label=str(related)[:200] if related is not None else "",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action="notification.sent",
        actor=actor,
        obj=batch,
        summary=batch.title,
        # Plain addresses are counted, not copied: the audit log keeps no e-mail address of a visitor.
        data={
            "message": kind.name,
            "audience": {**batch.audience, "addresses": len(batch.audience["addresses"])},
            "hall_notices": hall_notices,
        },
    )
    from .tasks import notification_prepare

    transaction.on_commit(lambda: notification_prepare.enqueue(batch.pk))
    return batch


@transaction.atomic
def notification_letters_mark_printed(*, batch: NotificationBatch, actor: Any = None) -> int:
    """Record that the letters PDF was printed (and posted): its deliveries become "printed"."""
    batch = NotificationBatch.objects.select_for_update().get(pk=batch.pk)
    if not batch.letters_pdf:
        raise ValidationError(_("The letters are not ready yet."))
    count = Delivery.objects.filter(batch=batch, channel=Channel.LETTER, status=DeliveryStatus.READY).update(
        status=DeliveryStatus.PRINTED, sent_at=timezone.now()
    )
    batch.letters_printed_at = timezone.now()
    batch.letters_printed_by = actor if getattr(actor, "is_authenticated", False) else None
    batch.save(update_fields=["letters_printed_at", "letters_printed_by"])
    audit_record(action="notification.letters_printed", actor=actor, obj=batch, data={"letters": count})
    return count


@transaction.atomic
def notification_retry_failed(*, batch: NotificationBatch, actor: Any = None) -> int:
    """Queue the failed e-mails of a batch again (after the mail server was fixed, for example)."""
    batch = NotificationBatch.objects.select_for_update().get(pk=batch.pk)
    ids = list(
        Delivery.objects.filter(batch=batch, channel=Channel.EMAIL, status=DeliveryStatus.FAILED).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        raise ValidationError(_("There are no failed e-mails to send again."))
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.QUEUED, attempts=0, error="", updated_at=timezone.now()
    )
    batch.status = BatchStatus.PROCESSING
    batch.save(update_fields=["status"])
    audit_record(action="notification.retried", actor=actor, obj=batch, data={"emails": len(ids)})
    from .tasks import enqueue_email_chunks

    transaction.on_commit(lambda: enqueue_email_chunks(batch.pk, ids))
    return len(ids)


@transaction.atomic
def notification_resume(*, batch: NotificationBatch, actor: Any = None) -> dict[str, int]:
    """Queue again what an interrupted batch has left (its worker died): never what was already sent.

    E-mails still queued are queued again; the one that was being handed to the mail server when the worker
    stopped becomes "uncertain" (not sent again: see `notification_resend_uncertain`); the letters PDF and the
    hall notices are rendered again if they are missing. Tasks that are still queued for the batch do no harm:
    each delivery is claimed by one run only.
    """
    from .selectors import batch_is_interrupted, stuck_after
    from .tasks import (
        batch_finish_if_complete,
        enqueue_email_chunks,
        notification_prepare,
        notification_render_letters,
    )

    NotificationBatch.objects.select_for_update().get(pk=batch.pk)
    batch = NotificationBatch.objects.with_counts().get(pk=batch.pk)
    if batch.status == BatchStatus.DONE:
        raise ValidationError(_("This notification is complete: there is nothing to resume."))
    if not batch_is_interrupted(batch):
        minutes = max(1, round(stuck_after().total_seconds() / 60))
        raise ValidationError(
            _(
                "This notification is still being sent. It can be resumed once it has made no progress "
                "for %(minutes)s minutes."
            )
            % {"minutes": minutes}
        )
    result = {"emails": 0, "letters": 0, "uncertain": 0}
    batch_id = batch.pk
    if batch.status == BatchStatus.QUEUED:
        transaction.on_commit(lambda: notification_prepare.enqueue(batch_id))
    else:
        now = timezone.now()
        deliveries = Delivery.objects.filter(batch=batch)
        result["uncertain"] = deliveries.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.UNCERTAIN, updated_at=now
        )
        queued = deliveries.filter(status=DeliveryStatus.QUEUED)
        email_ids = list(queued.filter(channel=Channel.EMAIL).order_by("pk").values_list("pk", flat=True))
        result["emails"] = len(email_ids)
        result["letters"] = queued.filter(channel=Channel.LETTER).count()
        queued.update(updated_at=now)  # the batch is moving again: not shown as interrupted meanwhile
        render = bool(result["letters"]) or (batch.hall_notices and not batch.notices_pdf)

        def enqueue() -> None:
            enqueue_email_chunks(batch_id, email_ids)
            if render:
                notification_render_letters.enqueue(batch_id)
            batch_finish_if_complete(batch_id)

        transaction.on_commit(enqueue)
    audit_record(action="notification.resumed", actor=actor, obj=batch, summary=batch.title, data=result)
    return result


@transaction.atomic
def notification_resend_uncertain(*, batch: NotificationBatch, actor: Any = None) -> int:
    """Send again the e-mails whose worker stopped while handing them over (a tenant may get one twice)."""
    batch = NotificationBatch.objects.select_for_update().get(pk=batch.pk)
    ids = list(
        Delivery.objects.filter(batch=batch, channel=Channel.EMAIL, status=DeliveryStatus.UNCERTAIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        raise ValidationError(_("There are no uncertain e-mails to send again."))
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.QUEUED, attempts=0, error="", updated_at=timezone.now()
    )
    batch.status = BatchStatus.PROCESSING
    batch.save(update_fields=["status"])
    audit_record(action="notification.uncertain_resent", actor=actor, obj=batch, data={"emails": len(ids)})
    from .tasks import enqueue_email_chunks

    transaction.on_commit(lambda: enqueue_email_chunks(batch.pk, ids))
    return len(ids)
