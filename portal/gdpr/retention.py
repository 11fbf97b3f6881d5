"""Retention: what the privacy page promises to delete after a period, applied by `manage.py portal_retention`.

Each app registers its rules (`portal.gdpr.registry.RetentionRule`); the portal's own rule empties the copies of
e-mail and postal addresses kept on deliveries, and deletes the letters PDF of their batch, after
`PORTAL_RETENTION_DELIVERY_MONTHS` months. The command is meant to run every night (README, "Production
deployment"); running it twice changes nothing the second time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Delivery, NotificationBatch
from ..services import audit_record
from .registry import RetentionRule, register_retention, retention_rules


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and local time `months` months earlier (the last day of a shorter month)."""
    moment = timezone.localtime(moment)
    year, month = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + year, month + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def delivery_copies_apply(now: datetime.datetime, dry_run: bool) -> int:
    """E-mail and postal address copies (and SMTP errors, which quote the address) of old deliveries; the letters
    PDF of their batches. The delivery rows stay: who was reached, how, and when."""
    cutoff = months_before(now, settings.PORTAL_RETENTION_DELIVERY_MONTHS)
    old = Delivery.objects.filter(batch__created_at__lt=cutoff).filter(
        ~Q(email="") | ~Q(address="") | ~Q(error="")
    )
    batches = NotificationBatch.objects.filter(created_at__lt=cutoff).exclude(letters_pdf="")
    if dry_run:
        return old.count() + batches.count()
    emptied = old.update(email="", address="", error="")
    names = list(batches.values_list("letters_pdf", flat=True))
    batches.update(letters_pdf="")
    storage = NotificationBatch._meta.get_field("letters_pdf").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return emptied + len(names)


def register_all() -> None:
    register_retention(
        RetentionRule(
            key="deliveries",
            description="Address copies of deliveries and letters PDFs older than PORTAL_RETENTION_DELIVERY_MONTHS",
            apply=delivery_copies_apply,
        )
    )


@dataclass(frozen=True)
class Applied:
    rule: RetentionRule
    count: int


def retention_run(*, now: datetime.datetime | None = None, dry_run: bool = False) -> list[Applied]:
    """Apply every registered rule, each in its own transaction; record what was deleted in the audit log."""
    now = now or timezone.now()
    applied = []
    for rule in retention_rules():
        with transaction.atomic():
            applied.append(Applied(rule=rule, count=rule.apply(now, dry_run)))
    done = {a.rule.key: a.count for a in applied if a.count}
    if done and not dry_run:
        audit_record(
            action="personal_data.retention",
            summary=", ".join(f"{key}: {count}" for key, count in done.items()),
            data=done,
        )
    return applied
