"""Reads for the notifications admin, with a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import BatchStatus, Delivery, NotificationBatch


def batch_list(*, search: str = "", status: str = "") -> QuerySet[NotificationBatch]:
    batches = NotificationBatch.objects.with_counts().select_related("actor").order_by("-created_at", "-id")
    if search:
        batches = batches.filter(title__icontains=search)
    if status:
        batches = batches.filter(status=status)
    return batches


def batch_deliveries(*, batch: NotificationBatch, status: str = "", channel: str = "") -> QuerySet[Delivery]:
    deliveries = batch.deliveries.select_related("person", "household__dwelling__building").order_by("pk")
    if status:
        deliveries = deliveries.filter(status=status)
    if channel:
        deliveries = deliveries.filter(channel=channel)
    return deliveries


def stuck_after() -> datetime.timedelta:
    """How long a batch may make no progress before it is shown as interrupted (PORTAL_NOTIFICATIONS_STUCK_AFTER)."""
    return datetime.timedelta(seconds=int(getattr(settings, "PORTAL_NOTIFICATIONS_STUCK_AFTER", 900)))


def batch_last_progress(batch: NotificationBatch) -> datetime.datetime:
    """When the batch last moved: created, a delivery changed, letters rendered (needs `with_counts()`)."""
    moments = [batch.created_at, getattr(batch, "last_progress", None), batch.letters_generated_at]
    return max(moment for moment in moments if moment is not None)


def batch_is_interrupted(batch: NotificationBatch, *, now: datetime.datetime | None = None) -> bool:
    """Not done and silent for `stuck_after()`: its worker probably died (the office may resume it).

    Needs a batch from `NotificationBatch.objects.with_counts()`; makes no query.
    """
    if batch.status == BatchStatus.DONE:
        return False
    return (now or timezone.now()) - batch_last_progress(batch) >= stuck_after()
