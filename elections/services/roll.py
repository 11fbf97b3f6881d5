"""The electoral roll: generated from the register, corrected with a reason until it is frozen, and the
invitations sent to the voters on it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import Person

from .. import codes, notifications
from ..guards import refuse_if_roll_frozen
from ..models import Election, ElectionEvent, RollEntry
from ..selectors import eligible_voters
from ._common import locked, log

S = Election.Status


def _new_entry(election: Election, person_id: int) -> RollEntry:
    seed = codes.new_seed()
    return RollEntry(
        election=election,
        person_id=person_id,
        code_seed=seed,
        code_hash=codes.code_hash(codes.code_from_seed(seed)),
    )


@transaction.atomic
def roll_generate(*, election: Election, actor: Any) -> int:
    """Add every eligible person not yet on the roll (idempotent). Returns how many were added."""
    election = locked(election)
    refuse_if_roll_frozen(election)
    if election.roll_reference_date is None:
        raise ValidationError(_("Set the roll reference date first."))
    present = set(election.roll.values_list("person_id", flat=True))
    new_entries = [
        _new_entry(election, person_id)
        for person_id in eligible_voters(election).values_list("pk", flat=True)
        if person_id not in present
    ]
    RollEntry.objects.bulk_create(new_entries, batch_size=1000)
    election.roll_generated_at = timezone.now()
    election.save(update_fields=["roll_generated_at"])
    log(
        election,
        ElectionEvent.Kind.ROLL_GENERATED,
        actor,
        _("Roll generated from the register: %(added)d added, %(total)d voters.")
        % {"added": len(new_entries), "total": election.roll.filter(removed=False).count()},
        {"added": len(new_entries), "reference_date": election.roll_reference_date.isoformat()},
    )
    return len(new_entries)


@transaction.atomic
def roll_entry_add(*, election: Election, person: Person, reason: str, actor: Any) -> RollEntry:
    election = locked(election)
    refuse_if_roll_frozen(election)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this correction.")})
    entry = election.roll.filter(person=person).first()
    if entry is not None and not entry.removed:
        raise ValidationError({"person": _("This person is already on the roll.")})
    if entry is None:
        entry = _new_entry(election, person.pk)
        entry.save()
    else:
        entry.removed = False
        entry.save(update_fields=["removed"])
    log(
        election,
        ElectionEvent.Kind.ROLL_CORRECTED,
        actor,
        _("Voter added to the roll."),
        {"action": "added", "roll_entry": entry.pk, "reason": reason.strip()},
    )
    return entry


@transaction.atomic
def roll_entry_remove(*, entry: RollEntry, reason: str, actor: Any) -> RollEntry:
    election = locked(entry.election)
    refuse_if_roll_frozen(election)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this correction.")})
    entry = RollEntry.objects.select_for_update().get(pk=entry.pk)
    entry.removed = True
    entry.save(update_fields=["removed"])
    log(
        election,
        ElectionEvent.Kind.ROLL_CORRECTED,
        actor,
        _("Voter removed from the roll."),
        {"action": "removed", "roll_entry": entry.pk, "reason": reason.strip()},
    )
    return entry


@transaction.atomic
def election_invitations_send(*, election: Election, actor: Any, entry: RollEntry | None = None):
    """Invitation letters (and e-mails) to every voter on the roll, or to one voter again (a lost letter)."""
    election = locked(election)
    if election.status not in {S.CANDIDATES_PUBLISHED, S.VOTING} or election.voting_has_closed():
        raise ValidationError(
            _("Invitations are sent once the candidate list is published, until voting closes.")
        )
    entries = election.roll.filter(removed=False)
    if entry is not None:
        entries = entries.filter(pk=entry.pk)
    persons = list(entries.values_list("person_id", flat=True))
    if not persons:
        raise ValidationError(_("Generate the electoral roll first."))
    batch = notifications.invitations_send(election=election, persons=persons, actor=actor)
    log(
        election,
        ElectionEvent.Kind.INVITATIONS_SENT,
        actor,
        ngettext("Invitation sent to %(count)d voter.", "Invitations sent to %(count)d voters.", len(persons))
        % {"count": len(persons)},
        {"batch": batch.pk, "count": len(persons), "single": entry is not None},
    )
    return batch
