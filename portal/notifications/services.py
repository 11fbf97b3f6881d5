"""State changes of the notification service. See the package docstring for how an app defines a message."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from portal.services import audit_record

from .models import BatchStatus, Channel, Delivery, DeliveryStatus, NotificationBatch

REQUIRED_TEMPLATES = ("subject.txt", "email.txt", "letter.html")


def _ids(items: Iterable[Any] | None) -> list[int]:
    return sorted({item if isinstance(item, int) else item.pk for item in (items or [])})


@dataclasses.dataclass
class Audience:
    """Who a notification is for: the union of the given selections (model instances or primary keys).

    Neighbourhoods, sites and buildings select the households living there on `on` (today by default).
    `per_person=False`: one recipient per household (a letter to the occupants, or an e-mail to each adult
    member with a usable address); `per_person=True`: every current person of the selected households,
    individually. Persons given in `persons` are always addressed individually.
    """

    neighbourhoods: Sequence[Any] = ()
    sites: Sequence[Any] = ()
    buildings: Sequence[Any] = ()
    households: Sequence[Any] = ()
    persons: Sequence[Any] = ()
    per_person: bool = False
    on: datetime.date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "neighbourhoods": _ids(self.neighbourhoods),
            "sites": _ids(self.sites),
            "buildings": _ids(self.buildings),
            "households": _ids(self.households),
            "persons": _ids(self.persons),
            "per_person": bool(self.per_person),
            "on": (self.on or timezone.localdate()).isoformat(),
        }

    def is_empty(self) -> bool:
        data = self.as_json()
        return not any(data[key] for key in ("neighbourhoods", "sites", "buildings", "households", "persons"))


def _check_message(message: str) -> None:
    for name in REQUIRED_TEMPLATES:
        try:
            get_template(f"notifications/{message}/{name}")
        except TemplateDoesNotExist as exc:
            raise ValidationError(
                _("The message “%(message)s” has no template %(name)s.") % {"message": message, "name": name}
            ) from exc


def _check_dotted(path: str) -> None:
    if not path:
        return
    try:
        import_string(path)
    except ImportError as exc:
        raise ValidationError(_("Unknown function: %(path)s.") % {"path": path}) from exc


@transaction.atomic
def notification_send(
    *,
    audience: Audience,
    message: str,
    context: dict[str, Any] | None = None,
    context_builder: str = "",
    recipient_context: str | None = None,
    hall_notices: bool = False,
    related: models.Model | None = None,
    actor: Any = None,
    title: str = "",
) -> NotificationBatch:
    """Record a notification and queue its delivery (e-mails and letters) for the background worker.

    Runs in the caller's transaction: nothing is sent if it rolls back.
    """
    _check_message(message)
    _check_dotted(context_builder or "")
    _check_dotted(recipient_context or "")
    if audience.is_empty():
        raise ValidationError(_("Choose at least one neighbourhood, site, building, household or person."))
    batch = NotificationBatch.objects.create(
        title=(title or message)[:200],
        message=message,
        context=context or {},
        context_builder=context_builder or "",
        recipient_context=recipient_context or "",
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
        data={"message": message, "audience": batch.audience, "hall_notices": hall_notices},
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
    Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.QUEUED, attempts=0, error="")
    batch.status = BatchStatus.PROCESSING
    batch.save(update_fields=["status"])
    audit_record(action="notification.retried", actor=actor, obj=batch, data={"emails": len(ids)})
    from .tasks import enqueue_email_chunks

    transaction.on_commit(lambda: enqueue_email_chunks(batch.pk, ids))
    return len(ids)
