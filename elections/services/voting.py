"""Voting: a voter identified online (code letter or linked account) casts a ballot; at a polling station the
committee checks a voter in (or the holder of their proxy), who then votes on paper. One vote per roll entry,
whatever the channel: the participation record is unique per roll entry and written under its row lock."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.models import Person

from .. import ballot_box, codes, tally
from ..guards import refuse_unless_online, refuse_unless_voting
from ..models import Ballot, BallotBox, Election, Participation, PollingStation, RollEntry
from ..selectors import accepted_candidacies

#: Failed code attempts after which a roll entry can only vote at a polling station.
MAX_CODE_ATTEMPTS = 5
ALREADY_VOTED = gettext_lazy("This voter has already voted. A second vote is not possible, by any channel.")


def _lock_voter(election: Election, roll_entry_id: int, with_person: bool = True) -> RollEntry:
    entries = RollEntry.objects.select_for_update(of=("self",)).filter(
        election=election, pk=roll_entry_id, removed=False
    )
    # The online cast never shows the person: it locks the entry alone (no join, no sort by name).
    entry = entries.select_related("person").first() if with_person else entries.order_by().first()
    if entry is None:
        raise ValidationError(_("This person is not on the electoral roll."))
    if Participation.objects.filter(roll_entry=entry).exists():
        raise ValidationError(ALREADY_VOTED)
    return entry


def _participate(**fields) -> Participation:
    try:
        with transaction.atomic():
            return Participation.objects.create(**fields)
    except IntegrityError as error:  # the unique roll entry: a second vote that slipped past the lock
        raise ValidationError(ALREADY_VOTED) from error


@transaction.atomic
def voter_check_in(
    *,
    election: Election,
    station: PollingStation,
    roll_entry_id: int,
    proxy_holder_id: int | None = None,
    actor: Any = None,
) -> Participation:
    """The committee checks a voter in at a station (or the holder of their proxy); the voter then votes on paper."""
    election = Election.objects.get(pk=election.pk)
    refuse_unless_voting(election)
    if station.election_id != election.pk:
        raise ValidationError(_("This polling station belongs to another election."))
    holder = None
    if proxy_holder_id is not None:
        if not election.proxies_allowed:
            raise ValidationError(_("Proxies are not allowed in this election."))
        if proxy_holder_id == roll_entry_id:
            raise ValidationError(_("A voter cannot hold their own proxy."))
        # Lock the holder first (always in this order) so two proxies for one holder cannot both pass the limit.
        holder = (
            RollEntry.objects.select_for_update(of=("self",))
            .filter(election=election, pk=proxy_holder_id, removed=False)
            .first()
        )
        if holder is None:
            raise ValidationError(_("The proxy holder is not on the electoral roll."))
        if Participation.objects.filter(proxy_holder=holder).count() >= election.proxies_per_holder:
            raise ValidationError(
                ngettext(
                    "This person already holds %(count)d proxy: that is the limit.",
                    "This person already holds %(count)d proxies: that is the limit.",
                    election.proxies_per_holder,
                )
                % {"count": election.proxies_per_holder}
            )
    entry = _lock_voter(election, roll_entry_id)
    return _participate(
        election=election,
        roll_entry=entry,
        channel=Participation.Channel.PROXY if holder else Participation.Channel.STATION,
        station=station,
        proxy_holder=holder,
    )


def voter_identify(*, election: Election, code: str, birth_date: datetime.date) -> RollEntry:
    """Online: the personal code and the date of birth identify a voter. A wrong date of birth counts against the
    roll entry (saved even though the answer is a refusal); after MAX_CODE_ATTEMPTS the code is blocked and the
    voter can still vote at a polling station. Attempts per IP address are limited by the view."""
    election = Election.objects.get(pk=election.pk)
    refuse_unless_online(election)
    generic = _("This code and date of birth do not match. Check the letter and try again.")
    with transaction.atomic():
        entry = (
            RollEntry.objects.select_for_update(of=("self",))
            .select_related("person")
            .filter(election=election, code_hash=codes.code_hash(code), removed=False)
            .exclude(code_hash="")
            .first()
        )
        if entry is None:
            raise ValidationError(generic)
        if entry.failed_attempts >= MAX_CODE_ATTEMPTS:
            raise ValidationError(
                _("This code is blocked after too many attempts. You can still vote at a polling station.")
            )
        mismatch = entry.person.birth_date != birth_date
        if mismatch:
            entry.failed_attempts += 1
            entry.save(update_fields=["failed_attempts"])
    if mismatch:
        raise ValidationError(generic)
    if Participation.objects.filter(roll_entry=entry).exists():
        raise ValidationError(ALREADY_VOTED)
    return entry


def voter_for_account(*, election: Election, person: Person | None, birth_date: datetime.date) -> RollEntry:
    """Online through a linked account: the account's person, confirmed by the date of birth."""
    election = Election.objects.get(pk=election.pk)
    refuse_unless_online(election)
    entry = (
        election.roll.filter(person=person, removed=False).select_related("person").first()
        if person
        else None
    )
    if entry is None:
        raise ValidationError(_("Your account is not on the electoral roll of this election."))
    if entry.person.birth_date != birth_date:
        raise ValidationError({"birth_date": _("This date of birth does not match our register.")})
    if Participation.objects.filter(roll_entry=entry).exists():
        raise ValidationError(ALREADY_VOTED)
    return entry


@transaction.atomic
def ballot_cast(*, election: Election, roll_entry_id: int, choices: list[int]) -> str:
    """Record an online vote: the participation (who) and the sealed ballot (what) in one transaction, under a lock
    of the roll entry. The choices are encrypted here, in the voter's request, under the box's public key: the
    database never holds them in clear. Returns the receipt (a hash of the sealed ballot), shown once."""
    election = Election.objects.get(pk=election.pk)
    refuse_unless_online(election)
    box = BallotBox.objects.filter(election=election, opened_at=None).only("public_key").first()
    if box is None:
        raise ValidationError(
            _("The online ballot box of this election has no key: online voting is not possible.")
        )
    allowed = list(accepted_candidacies(election).order_by().values_list("pk", flat=True))  # no sort by name
    problems = tally.ballot_problems(choices, allowed=allowed, max_choices=election.choices_allowed)
    if problems:
        raise ValidationError(
            ngettext(
                "Choose at most %(count)d candidate, from the list.",
                "Choose at most %(count)d candidates, from the list.",
                election.choices_allowed,
            )
            % {"count": election.choices_allowed}
        )
    public_key = bytes(box.public_key)
    sealed = ballot_box.seal(choices, public_key=public_key, ctx=ballot_box.context(election.pk, public_key))
    entry = _lock_voter(election, roll_entry_id, with_person=False)
    _participate(election=election, roll_entry=entry, channel=Participation.Channel.ONLINE)
    receipt = ballot_box.receipt_of(sealed)
    Ballot.objects.create(election=election, sealed=sealed, receipt=receipt)
    return receipt
