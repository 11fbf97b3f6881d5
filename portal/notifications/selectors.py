"""Reads for the notifications admin, with a number of queries that does not grow with the data."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Delivery, NotificationBatch


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
