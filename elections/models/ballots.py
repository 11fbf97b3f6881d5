"""What was voted online, kept apart from who voted, and sealed so that no database reader can open it.

During the vote the box holds only `Ballot` rows: a sealed (encrypted) ballot and its receipt (a hash of the sealed
ballot). A ballot and its participation record are written in one transaction, so PostgreSQL's row metadata (xmin,
row order, the WAL) pairs them: what it pairs with a voter is a ciphertext. The box's private key exists nowhere
during the vote: the `BallotBox` keeps the public key, the private key wrapped under a key that only k of the n
`KeyHolder`s' shares rebuild, and per share a value that recognises it. When k holders open the box after the
close, the sealed ballots are shuffled and decrypted, the plain choices are written as `CountedBallot`s in that
random order, the receipts as the sorted `PublishedReceipt` list, and the sealed ballots and the wrapped key are
deleted. See `elections.ballot_box` (the cryptography) and docs/elections-secrecy.md (the trust model).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .election import Election


class BallotBox(models.Model):
    """The key of an election's online ballot box, created at the key ceremony when voting is about to open."""

    election = models.OneToOneField(
        Election, on_delete=models.CASCADE, related_name="ballot_box", verbose_name=_("election")
    )
    public_key = models.BinaryField(_("public key"), max_length=32)
    wrapped_private_key = models.BinaryField(_("private key, wrapped"), blank=True)
    threshold = models.PositiveSmallIntegerField(_("shares needed to open the box"))
    created_at = models.DateTimeField(_("key ceremony held at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    decrypted = models.PositiveIntegerField(_("ballots decrypted"), default=0)
    void = models.PositiveIntegerField(_("ballots that could not be read"), default=0)

    class Meta:
        verbose_name = _("online ballot box")
        verbose_name_plural = _("online ballot boxes")

    def __str__(self) -> str:
        return str(self.election)

    @property
    def fingerprint(self) -> str:
        """The public key, short, for the log and the holders' sheets (to tell one box from another)."""
        return bytes(self.public_key).hex()[:16].upper()


class KeyHolder(models.Model):
    """One of the n people who hold a share of the box's key. Only a check value of the share is kept."""

    box = models.ForeignKey(BallotBox, on_delete=models.CASCADE, related_name="holders")
    index = models.PositiveSmallIntegerField(_("share number"))
    name = models.CharField(_("key holder"), max_length=200)
    share_check = models.CharField(max_length=64, editable=False)
    checked_at = models.DateTimeField(_("share checked at"), null=True, blank=True)

    class Meta:
        ordering = ["index"]
        verbose_name = _("key holder")
        verbose_name_plural = _("key holders")
        constraints = [models.UniqueConstraint(fields=["box", "index"], name="unique_key_holder_index")]

    def __str__(self) -> str:
        return f"{self.index}. {self.name}"


class Ballot(models.Model):
    """A sealed online ballot: random id, no date, nothing personal, and choices nobody can read without k shares.
    `receipt` (a hash of `sealed`) is shown once to the voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    sealed = models.BinaryField()
    receipt = models.CharField(max_length=32, unique=True)

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")

    def __str__(self) -> str:
        return str(_("sealed ballot"))


class CountedBallot(models.Model):
    """A decrypted online ballot, written in the random order of the opening, with nothing that leads back to the
    sealed ballot or to a voter. `choices` lists candidacy ids; empty is a blank ballot unless `void`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="counted_ballots")
    choices = models.JSONField(default=list)
    void = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("counted online ballot")
        verbose_name_plural = _("counted online ballots")

    def __str__(self) -> str:
        return str(_("counted online ballot"))


class PublishedReceipt(models.Model):
    """The receipts of the ballots that went into the count, published after the close (sorted, random ids)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="published_receipts")
    receipt = models.CharField(max_length=32)

    class Meta:
        ordering = ["receipt"]
        verbose_name = _("published receipt")
        verbose_name_plural = _("published receipts")
        constraints = [
            models.UniqueConstraint(fields=["election", "receipt"], name="unique_published_receipt")
        ]

    def __str__(self) -> str:
        return self.receipt
