"""Paper counts of the polling stations and the official result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .candidacy import Candidacy
from .election import Election, PollingStation


class StationCount(models.Model):
    """The paper count of one polling station, entered by the committee at closing."""

    station = models.OneToOneField(
        PollingStation, on_delete=models.CASCADE, related_name="count", verbose_name=_("polling station")
    )
    ballots = models.PositiveIntegerField(_("ballots in the box"))
    blank = models.PositiveIntegerField(_("blank ballots"))
    void = models.PositiveIntegerField(_("void ballots"))
    mismatch_explanation = models.TextField(_("explanation of the difference"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("paper count")
        verbose_name_plural = _("paper counts")

    def __str__(self) -> str:
        return str(self.station)


class StationCandidateCount(models.Model):
    count = models.ForeignKey(StationCount, on_delete=models.CASCADE, related_name="lines")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["count", "candidacy"], name="unique_station_candidate")
        ]

    def __str__(self) -> str:
        return f"{self.candidacy}: {self.votes}"


class ElectionResult(models.Model):
    """The official figures, computed once after the count and kept after participation data are deleted."""

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="result")
    roll_size = models.PositiveIntegerField(_("voters on the roll"))
    voters = models.PositiveIntegerField(_("voters who voted"))
    online_ballots = models.PositiveIntegerField(_("online ballots"))
    online_voters = models.PositiveIntegerField(_("online voters"), default=0)
    receipts_published = models.PositiveIntegerField(_("receipts of online ballots published"), default=0)
    paper_ballots = models.PositiveIntegerField(_("paper ballots"))
    blank = models.PositiveIntegerField(_("blank ballots"))
    void = models.PositiveIntegerField(_("void ballots"))
    turnout_percent = models.DecimalField(_("turnout (%)"), max_digits=6, decimal_places=2)
    valid = models.BooleanField(_("valid election"))
    tie_draw = models.JSONField(_("draw used to break ties"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    final_at = models.DateTimeField(_("final since"), null=True, blank=True)

    class Meta:
        verbose_name = _("election result")
        verbose_name_plural = _("election results")

    def __str__(self) -> str:
        return str(self.election)


class CandidateResult(models.Model):
    class Outcome(models.TextChoices):
        ELECTED = "elected", _("elected")
        SUBSTITUTE = "substitute", _("substitute")
        NOT_ELECTED = "not_elected", _("not elected (election invalid)")

    result = models.ForeignKey(ElectionResult, on_delete=models.CASCADE, related_name="candidates")
    candidacy = models.OneToOneField(Candidacy, on_delete=models.PROTECT, related_name="result")
    online_votes = models.PositiveIntegerField(_("online votes"))
    paper_votes = models.PositiveIntegerField(_("paper votes"))
    votes = models.PositiveIntegerField(_("votes"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("candidate result")
        verbose_name_plural = _("candidate results")

    def __str__(self) -> str:
        return f"{self.rank}. {self.candidacy}"
