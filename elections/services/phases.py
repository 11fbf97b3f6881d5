"""The life of an election: created, moved from phase to phase (each move refused while its guard lists anything,
then doing what that phase needs), and re-run when it was invalid."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..guards import TRANSITIONS, election_issues_before_advance
from ..models import DATE_FIELDS, Candidacy, Election, ElectionEvent, PollingStation
from ..selectors import accepted_candidacies
from ._common import locked, log
from .ballot_box import ballot_box_open_empty
from .counting import compute_results, result_make_final

S = Election.Status
Action = Callable[[Election, Any, datetime.datetime], None]


def _order_candidate_list(election: Election, actor: Any, now: datetime.datetime) -> None:
    candidacies = list(accepted_candidacies(election).select_related("person"))
    if election.candidate_order == Election.CandidateOrder.LOT:
        secrets.SystemRandom().shuffle(candidacies)
        log(
            election,
            ElectionEvent.Kind.LIST_ORDER_DRAWN,
            actor,
            _("Order of the candidate list drawn by lot."),
            {"order": [c.pk for c in candidacies], "names": [c.display_name for c in candidacies]},
        )
    else:
        candidacies.sort(key=lambda c: (c.person.last_name.casefold(), c.person.first_name.casefold()))
    for position, candidacy in enumerate(candidacies, start=1):
        candidacy.position = position
        candidacy.label_text = _label_text(candidacy)
        candidacy.save(update_fields=["position", "label_text"])


def _label_text(candidacy: Candidacy) -> str:
    person = candidacy.person
    if candidacy.label == Candidacy.Label.STREET:
        return person.household.dwelling.building.street
    if candidacy.label == Candidacy.Label.NEIGHBOURHOOD:
        return person.household.dwelling.building.site.neighbourhood.name_fr
    if candidacy.label == Candidacy.Label.ASSOCIATION:
        return candidacy.association
    return ""


def _freeze_roll(election: Election, actor: Any, now: datetime.datetime) -> None:
    election.roll_frozen_at = now
    log(
        election,
        ElectionEvent.Kind.ROLL_FROZEN,
        actor,
        _("Roll frozen with %(count)d voters.") % {"count": election.roll.filter(removed=False).count()},
    )


def _publish_results(election: Election, actor: Any, now: datetime.datetime) -> None:
    if not election.ballots.exists():
        ballot_box_open_empty(election, now)
    compute_results(election, actor, now)


def _nothing(election: Election, actor: Any, now: datetime.datetime) -> None:
    pass


#: What moving to each phase does (the guards of `elections.guards.TRANSITIONS` have allowed it).
ACTIONS: dict[str, Action] = {
    S.CANDIDACY: _nothing,
    S.CANDIDATES_PUBLISHED: _order_candidate_list,
    S.VOTING: _freeze_roll,
    S.COUNTING: _nothing,  # the sealed ballots wait for k key holders (ballot_box_open)
    S.COMPLAINTS: _publish_results,
    S.CLOSED: result_make_final,
}
assert set(ACTIONS) == {target for target, _guard in TRANSITIONS.values()}  # one table each


@transaction.atomic
def election_advance(*, election: Election, actor: Any, now: datetime.datetime | None = None) -> Election:
    """Move to the next phase, refusing while the guard lists anything."""
    now = now or timezone.now()
    given, election = election, locked(election)
    issues = election_issues_before_advance(election, now)
    if issues:
        raise ValidationError(issues)
    previous = election.status
    target, _guard = TRANSITIONS[previous]
    ACTIONS[target](election, actor, now)
    election.status = target
    election.save(update_fields=["status", "roll_frozen_at", "participation_purged_at"])
    log(
        election,
        ElectionEvent.Kind.PHASE_CHANGED,
        actor,
        _("Phase: %(phase)s.") % {"phase": election.get_status_display()},
        {"from": previous, "to": target},
    )
    given.refresh_from_db()
    return election


@transaction.atomic
def election_create(*, actor: Any, **fields) -> Election:
    election = Election(**fields)
    election.full_clean()
    election.save()
    log(election, ElectionEvent.Kind.CREATED, actor, _("Election created."))
    return election


@transaction.atomic
def election_rerun(*, election: Election, actor: Any) -> Election:
    """An invalid election is re-run: a new election with the same settings and a new candidacy round."""
    election = locked(election)
    result = getattr(election, "result", None)
    if result is None or result.valid:
        raise ValidationError(_("Only an election declared invalid can be re-run."))
    if Election.objects.filter(previous=election).exists():
        raise ValidationError(_("A re-run of this election already exists."))
    rerun = Election.objects.get(pk=election.pk)
    rerun.pk = None
    rerun.id = None
    rerun.previous = election
    rerun.status = S.DRAFT
    rerun.slug = f"{election.slug}-2"[:80]
    n = 2
    while Election.objects.filter(slug=rerun.slug).exists():
        n += 1
        rerun.slug = f"{election.slug}-{n}"[:80]
    for name in (*DATE_FIELDS, "roll_generated_at", "roll_frozen_at", "participation_purged_at"):
        setattr(rerun, name, None)
    rerun._state.adding = True
    rerun.save()
    for station in election.stations.all():
        PollingStation.objects.create(
            election=rerun,
            name=station.name,
            address=station.address,
            accessibility=station.accessibility,
            opens_at=station.opens_at,
            closes_at=station.closes_at,
        )
    log(
        election,
        ElectionEvent.Kind.RERUN_CREATED,
        actor,
        _("Re-run created: %(slug)s.") % {"slug": rerun.slug},
    )
    log(
        rerun,
        ElectionEvent.Kind.CREATED,
        actor,
        _("Re-run of an invalid election, with a new candidacy round."),
    )
    return rerun
