"""Candidacies: received online or on paper, decided by a worker, published on the candidate list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Person
from portal.storage import private_storage

from .election import Election


class Candidacy(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("received, to be checked")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper form")

    class Label(models.TextChoices):
        NOTHING = "nothing", _("nothing")
        STREET = "street", _("my street (without number)")
        NEIGHBOURHOOD = "neighbourhood", _("my neighbourhood")
        ASSOCIATION = "association", _("an association")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidacies", verbose_name=_("election")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    display_name = models.CharField(_("name on the list"), max_length=250)
    channel = models.CharField(_("received"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    label = models.CharField(
        _("shown after the name"), max_length=20, choices=Label.choices, default=Label.NOTHING
    )
    label_text = models.CharField(_("text shown after the name"), max_length=200, blank=True, editable=False)
    association = models.CharField(_("association"), max_length=200, blank=True)
    statement = models.TextField(_("short statement"), max_length=600, blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="elections/candidates/", storage=private_storage, blank=True
    )
    charter_signed = models.BooleanField(_("charter of democratic values signed"), default=False)
    court_check_done = models.BooleanField(_("no final court decision (checked)"), default=False)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    position = models.PositiveSmallIntegerField(_("position on the list"), null=True, blank=True)

    class Meta:
        ordering = ["position", "person__last_name", "person__first_name"]
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="unique_candidacy")]

    def __str__(self) -> str:
        return self.display_name
