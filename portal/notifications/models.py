"""Notification batches and their deliveries (one row per recipient and channel).

Imported at the end of `portal/models.py`, so these models belong to the `portal` app.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.storage import private_storage


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    PROCESSING = "processing", _("being sent")
    DONE = "done", _("done")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    LETTER = "letter", _("letter")


class DeliveryStatus(models.TextChoices):
    """E-mails: queued -> sending (handed to the mail server) -> sent, queued again for a retry, or failed.

    A delivery found "sending" after its worker died is "uncertain": the mail server may or may not have taken
    it. It is not sent again unless the office asks for it (`notification_resend_uncertain`).
    """

    QUEUED = "queued", _("queued")
    SENDING = "sending", _("e-mail being sent")
    SENT = "sent", _("e-mail sent")
    UNCERTAIN = "uncertain", _("e-mail uncertain (the worker stopped while sending it)")
    READY = "ready", _("letter ready to print")
    PRINTED = "printed", _("letter printed")
    FAILED = "failed", _("failed")


class NotificationBatchQuerySet(models.QuerySet["NotificationBatch"]):
    def with_counts(self) -> NotificationBatchQuerySet:
        """Annotate the number of deliveries per channel and status (one query for any number of batches),
        and `last_progress`: when a delivery last changed."""
        annotations = {
            "emails_total": Count("deliveries", filter=Q(deliveries__channel=Channel.EMAIL)),
            "letters_total": Count("deliveries", filter=Q(deliveries__channel=Channel.LETTER)),
            "last_progress": Max("deliveries__updated_at"),
        }
        for channel in Channel.values:
            for status in DeliveryStatus.values:
                annotations[f"{channel}_{status}"] = Count(
                    "deliveries", filter=Q(deliveries__channel=channel, deliveries__status=status)
                )
        return self.annotate(**annotations)

    def for_object(self, obj: models.Model) -> NotificationBatchQuerySet:
        """Batches sent about one object (`related=` of `notification_send`), e.g. a meeting's invitations."""
        return self.filter(
            related_content_type=ContentType.objects.get_for_model(obj), related_object_id=str(obj.pk)
        )


class NotificationBatch(models.Model):
    """One sending of a message to the tenants concerned (created by `notification_send`)."""

    title = models.CharField(_("title"), max_length=200)
    message = models.CharField(
        _("message"),
        max_length=120,
        help_text=_(
            "A message kind registered by an app (its templates are under templates/notifications/)."
        ),
    )
    context = models.JSONField(_("context"), default=dict, blank=True)
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    hall_notices = models.BooleanField(_("building-hall notices"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    related_content_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about (type)"),
    )
    related_object_id = models.CharField(_("about (id)"), max_length=40, blank=True)
    related_label = models.CharField(_("about"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    letters_pdf = models.FileField(
        _("letters (PDF)"), storage=private_storage, upload_to="notifications/letters/", blank=True
    )
    notices_pdf = models.FileField(
        _("building-hall notices (PDF)"),
        storage=private_storage,
        upload_to="notifications/notices/",
        blank=True,
    )
    letters_generated_at = models.DateTimeField(_("letters generated"), null=True, blank=True)
    letters_printed_at = models.DateTimeField(_("letters printed"), null=True, blank=True)
    letters_printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("letters printed by"),
    )
    error = models.TextField(_("error"), blank=True)

    objects = NotificationBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title

    def delivery_counts(self) -> dict[str, dict[str, int]]:
        """{"email": {"sent": 400, "failed": 2, ...}, "letter": {"ready": 600, ...}} in one query."""
        counts: dict[str, dict[str, int]] = {channel: {} for channel in Channel.values}
        rows = self.deliveries.order_by().values_list("channel", "status").annotate(n=Count("pk"))
        for channel, status, number in rows:
            counts.setdefault(channel, {})[status] = number
        return counts

    @property
    def related(self) -> models.Model | None:
        """The object the batch is about (a meeting, an election...), if it still exists."""
        if self.related_content_type_id is None or not self.related_object_id:
            return None
        model = self.related_content_type.model_class()
        if model is None:
            return None
        return model._default_manager.filter(pk=self.related_object_id).first()


class Delivery(models.Model):
    """One message to one recipient through one channel, with its outcome."""

    batch = models.ForeignKey(
        NotificationBatch, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    person = models.ForeignKey(
        "portal.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("person"),
        help_text=_(
            "Empty for a letter to the occupants of a dwelling, or for an address outside the register."
        ),
    )
    household = models.ForeignKey(
        "portal.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("household"),
    )
    name = models.CharField(
        _("name"),
        max_length=200,
        blank=True,
        help_text=_("For an address outside the register (an organisation, a visitor)."),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    language = models.CharField(
        _("language"), max_length=2, blank=True, help_text=_("Empty: French and Dutch.")
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    address = models.TextField(_("postal address"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["batch", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["batch", "channel", "status"], name="delivery_batch_status_idx")]

    def __str__(self) -> str:
        target = self.email or (self.address.splitlines() or [""])[0]
        return f"{self.get_channel_display()}: {target}"

    @property
    def recipient_label(self) -> str:
        """The person's name, the name given with a plain address, or the first line of the letter's address
        (the lease holders' names)."""
        if self.person_id is not None:
            return self.person.full_name
        return self.name or (self.address.splitlines() or [""])[0]
