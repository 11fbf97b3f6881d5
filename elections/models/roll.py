"""Who may vote (the roll) and who voted (participation records): never what they voted."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Person

from .election import Election, PollingStation


class RollEntry(models.Model):
    """One voter on the electoral roll. The voting code is never stored: only its HMAC (`code_hash`) and the
    random `code_seed` it is derived from at render time (invitation letters), see `elections.codes`."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="roll", verbose_name=_("election")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    removed = models.BooleanField(_("removed from the roll"), default=False)
    code_seed = models.CharField(max_length=64, blank=True, editable=False)
    code_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    failed_attempts = models.PositiveSmallIntegerField(_("failed code attempts"), default=0, editable=False)

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        verbose_name = _("roll entry")
        verbose_name_plural = _("roll entries")
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="unique_roll_entry")]

    def __str__(self) -> str:
        return str(self.person)


class Participation(models.Model):
    """Who voted (and how), never what: one row per roll entry, written with the ballot in one transaction."""

    class Channel(models.TextChoices):
        STATION = "station", _("at a polling station")
        PROXY = "proxy", _("by proxy at a polling station")
        ONLINE = "online", _("online")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="participations", verbose_name=_("election")
    )
    roll_entry = models.OneToOneField(
        RollEntry, on_delete=models.CASCADE, related_name="participation", verbose_name=_("voter")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    station = models.ForeignKey(
        PollingStation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("polling station"),
    )
    proxy_holder = models.ForeignKey(
        RollEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxies_held",
        verbose_name=_("proxy holder"),
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"{self.roll_entry} ({self.get_channel_display()})"
