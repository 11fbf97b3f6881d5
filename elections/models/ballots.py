"""What was voted online, kept apart from who voted (see the package docstring)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .candidacy import Candidacy
from .election import Election


class Ballot(models.Model):
    """An online ballot: random id, no date, nothing personal. `receipt` is shown once to the voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    receipt = models.CharField(max_length=32, unique=True)
    blank = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(_("ballot"))


class BallotChoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "candidacy"], name="unique_ballot_choice")]

    def __str__(self) -> str:
        return str(self.candidacy)
