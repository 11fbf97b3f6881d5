"""The online ballot box: the key ceremony in front of the committee, a key holder checking their share, and the
opening of the box by k key holders after the close (shuffle, decrypt, count-ready plain ballots, receipts
published). The cryptography is in `elections.ballot_box`; see docs/elections-secrecy.md for the trust model."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import ballot_box, tally
from ..models import Ballot, BallotBox, CountedBallot, Election, ElectionEvent, KeyHolder, PublishedReceipt
from ..selectors import accepted_candidacies
from ._common import locked, log, user_or_none

S = Election.Status


def _context(box: BallotBox) -> bytes:
    return ballot_box.context(box.election_id, bytes(box.public_key))


@transaction.atomic
def ballot_box_create(
    *, election: Election, holders: list[str], actor: Any, now: datetime.datetime | None = None
) -> list[ballot_box.KeyShare]:
    """The key ceremony: a new key pair for the online ballot box, its private key wrapped at once under a key split
    among the holders (k of n, the election's settings). Returns the shares, to be shown once to their holders:
    the portal keeps none of them. Held again (a new key) as long as voting has not opened."""
    election = locked(election)
    now = now or timezone.now()
    if not election.online_voting:
        raise ValidationError(_("This election has no online voting: it needs no key."))
    if election.status != S.CANDIDATES_PUBLISHED or election.rules_frozen:
        raise ValidationError(
            _("The key ceremony is held once the candidate list is published, before voting opens.")
        )
    names = [name.strip() for name in holders]
    if len(names) != election.key_holders or not all(names):
        raise ValidationError(
            _("Give the names of the %(count)d key holders.") % {"count": election.key_holders}
        )
    if len({name.casefold() for name in names}) != len(names):
        raise ValidationError(
            _("Each key holder is a different person: give %(count)d different names.")
            % {"count": election.key_holders}
        )
    key = ballot_box.key_create(election_id=election.pk, threshold=election.key_threshold, holders=len(names))
    BallotBox.objects.filter(election=election).delete()  # a ceremony held again replaces the unused key
    box = BallotBox.objects.create(
        election=election,
        public_key=key.public_key,
        wrapped_private_key=key.wrapped_private_key,
        threshold=election.key_threshold,
        created_at=now,
        created_by=user_or_none(actor),
    )
    KeyHolder.objects.bulk_create(
        [
            KeyHolder(box=box, index=share.index, name=name, share_check=check)
            for share, name, check in zip(key.shares, names, key.checks, strict=True)
        ]
    )
    log(
        election,
        ElectionEvent.Kind.KEY_CREATED,
        actor,
        _(
            "Key ceremony: key %(key)s of the online ballot box shared among %(names)s; %(k)d of %(n)d open it."
        )
        % {"key": box.fingerprint, "names": ", ".join(names), "k": box.threshold, "n": len(names)},
        {"key": box.fingerprint, "holders": names, "threshold": box.threshold},
    )
    return key.shares


def _parse_and_match(box: BallotBox, text: str) -> tuple[ballot_box.KeyShare, KeyHolder]:
    try:
        share = ballot_box.share_parse(text)
    except ballot_box.ShareError as error:
        raise ValidationError(
            _(
                "This is not a key share: it starts with its number, then 26 letters and digits (as on the sheet)."
            )
        ) from error
    holder = next((h for h in box.holders.all() if h.index == share.index), None)
    if holder is None or not ballot_box.share_matches(share, holder.share_check, _context(box)):
        raise ValidationError(
            _(
                "Share number %(index)d does not match this ballot box: check each character against the sheet "
                "(it may also be a share of another election)."
            )
            % {"index": share.index}
        )
    return share, holder


@transaction.atomic
def key_share_check(*, election: Election, share: str, actor: Any) -> KeyHolder:
    """A key holder types their share back (at the ceremony, or later): the portal says whether it is right, from
    the share's check value alone, and records that this holder's share was checked."""
    election = locked(election)
    box = BallotBox.objects.filter(election=election).prefetch_related("holders").first()
    if box is None or box.opened_at is not None:
        raise ValidationError(_("There is no closed online ballot box to check a share for."))
    _share, holder = _parse_and_match(box, share)
    first = holder.checked_at is None
    if first:
        holder.checked_at = timezone.now()
        holder.save(update_fields=["checked_at"])
    log(
        election,
        ElectionEvent.Kind.KEY_SHARE_CHECKED,
        actor,
        _("Key share %(index)d (%(name)s) checked: it is right.")
        % {"index": holder.index, "name": holder.name},
        {"index": holder.index, "first": first},
    )
    return holder


def _checked_shares(box: BallotBox, texts: list[str]) -> tuple[list[ballot_box.KeyShare], list[KeyHolder]]:
    shares, holders, problems = [], [], []
    for number, text in enumerate(texts, start=1):
        if not text.strip():
            continue
        try:
            share, holder = _parse_and_match(box, text)
        except ValidationError as error:
            problems += [
                _("Share entered in field %(n)d: %(problem)s") % {"n": number, "problem": m}
                for m in error.messages
            ]
            continue
        if holder in holders:
            problems.append(_("Share number %(index)d was entered twice.") % {"index": holder.index})
            continue
        shares.append(share)
        holders.append(holder)
    if len(shares) < box.threshold:
        problems.append(
            ngettext(
                "%(valid)d valid share of %(needed)d needed: the box stays closed.",
                "%(valid)d valid shares of %(needed)d needed: the box stays closed.",
                len(shares),
            )
            % {"valid": len(shares), "needed": box.threshold}
        )
        raise ValidationError(problems)
    return shares, holders


@transaction.atomic
def ballot_box_open(
    *, election: Election, shares: list[str], actor: Any, now: datetime.datetime | None = None
) -> BallotBox:
    """k key holders open the online ballot box after the close. The sealed ballots are shuffled and decrypted;
    each plain ballot is written in that random order, with a new random id; the receipts are published sorted;
    the sealed ballots and the wrapped key are deleted. Refused, with each problem, below k valid shares."""
    election = locked(election)
    now = now or timezone.now()
    if election.status != S.COUNTING:
        raise ValidationError(_("The online ballot box is opened after voting closes, before the results."))
    box = (
        BallotBox.objects.filter(election=election)
        .prefetch_related("holders")
        .select_for_update(of=("self",))
        .first()
    )
    if box is None or box.opened_at is not None:
        raise ValidationError(_("This election has no closed online ballot box."))
    checked, holders = _checked_shares(box, shares)
    try:
        private_key = ballot_box.private_key_from_shares(
            checked,
            threshold=box.threshold,
            public_key=bytes(box.public_key),
            wrapped_private_key=bytes(box.wrapped_private_key),
            ctx=_context(box),
        )
    except ballot_box.ShareError as error:
        raise ValidationError(_("These shares do not open this ballot box.")) from error
    finally:
        del checked
    rows = list(Ballot.objects.filter(election=election).values_list("sealed", "receipt"))
    opened = ballot_box.open_box(
        [bytes(sealed) for sealed, _r in rows], private_key=private_key, ctx=_context(box)
    )
    del private_key
    counted = _counted_ballots(election, opened)
    CountedBallot.objects.bulk_create(counted, batch_size=2000)
    PublishedReceipt.objects.bulk_create(
        [PublishedReceipt(election=election, receipt=receipt) for receipt in sorted(r for _s, r in rows)],
        batch_size=2000,
    )
    Ballot.objects.filter(election=election).delete()
    box.opened_at = now
    box.wrapped_private_key = b""
    box.decrypted = len(rows)
    box.void = sum(1 for ballot in counted if ballot.void)
    box.save(update_fields=["opened_at", "wrapped_private_key", "decrypted", "void"])
    log(
        election,
        ElectionEvent.Kind.BALLOT_BOX_OPENED,
        actor,
        _(
            "Online ballot box opened with the shares of %(names)s: %(count)d ballots decrypted in a random order "
            "(%(void)d unreadable), %(count)d receipts published."
        )
        % {"names": ", ".join(h.name for h in holders), "count": box.decrypted, "void": box.void},
        {"holders": [h.index for h in holders], "decrypted": box.decrypted, "void": box.void},
    )
    transaction.on_commit(_vacuum_sealed_ballots)
    return box


def _counted_ballots(election: Election, opened: list[list[int] | None]) -> list[CountedBallot]:
    """Plain ballots in the order given; a ballot that is not well formed for this election is void."""
    allowed = set(accepted_candidacies(election).values_list("pk", flat=True))
    counted = []
    for choices in opened:
        if choices is None or tally.ballot_problems(
            choices, allowed=allowed, max_choices=election.choices_allowed
        ):
            counted.append(CountedBallot(election=election, choices=[], void=True))
        else:
            counted.append(CountedBallot(election=election, choices=choices))
    return counted


def ballot_box_open_empty(election: Election, now: datetime.datetime) -> None:
    """Nobody voted online: there is nothing to decrypt, and no share is needed to say so."""
    BallotBox.objects.filter(election=election, opened_at=None).update(opened_at=now, wrapped_private_key=b"")


def _vacuum_sealed_ballots() -> None:
    """Drop the old row versions of the deleted sealed ballots and of the wiped wrapped key now (PostgreSQL; VACUUM
    cannot run in a transaction). Copies made before, in backups and in the WAL, stay sealed under the shares."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {Ballot._meta.db_table}, {BallotBox._meta.db_table}")
