"""After voting closes: the paper counts of the stations, the official result (gathered from the database, allocated
by the pure functions of `elections.tally`, stored), and the deletion of participation data once the result is
final. The online ballots are opened before the result by `elections.services.ballot_box.ballot_box_open`."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notifications, tally
from ..models import (
    Candidacy,
    CandidateResult,
    CountedBallot,
    Election,
    ElectionEvent,
    ElectionResult,
    Participation,
    PollingStation,
    RollEntry,
    StationCandidateCount,
    StationCount,
)
from ..selectors import accepted_candidacies
from ._common import locked, log, user_or_none

S = Election.Status


# --- Paper counts -------------------------------------------------------------------------------------------


@transaction.atomic
def station_count_enter(
    *,
    station: PollingStation,
    ballots: int,
    blank: int,
    void: int,
    votes: dict[int, int],
    explanation: str = "",
    actor: Any,
) -> StationCount:
    """The committee's paper count at closing (may be corrected until the results are published)."""
    election = locked(station.election)
    if election.status != S.COUNTING:
        raise ValidationError(_("The paper count is entered after voting closes, before the results."))
    allowed = set(accepted_candidacies(election).values_list("pk", flat=True))
    if set(votes) != allowed:
        raise ValidationError(_("Enter a number of votes for every candidate."))
    if any(v < 0 for v in [ballots, blank, void, *votes.values()]):
        raise ValidationError(_("Numbers cannot be negative."))
    if blank + void > ballots:
        raise ValidationError(
            {"blank": _("Blank and void ballots cannot be more than the ballots in the box.")}
        )
    valid_ballots = ballots - blank - void
    if sum(votes.values()) > valid_ballots * election.choices_allowed:
        raise ValidationError(
            _("%(votes)d votes is more than %(ballots)d valid ballots can hold.")
            % {"votes": sum(votes.values()), "ballots": valid_ballots}
        )
    count, _created = StationCount.objects.update_or_create(
        station=station,
        defaults={
            "ballots": ballots,
            "blank": blank,
            "void": void,
            "mismatch_explanation": explanation.strip(),
            "entered_by": user_or_none(actor),
            "entered_at": timezone.now(),
        },
    )
    count.lines.all().delete()
    StationCandidateCount.objects.bulk_create(
        [StationCandidateCount(count=count, candidacy_id=c, votes=v) for c, v in votes.items()]
    )
    checkins = station.participations.count()
    log(
        election,
        ElectionEvent.Kind.COUNT_ENTERED,
        actor,
        _("Paper count of “%(station)s”: %(ballots)d ballots, %(checkins)d check-ins.")
        % {"station": station.name, "ballots": ballots, "checkins": checkins},
        {
            "station": station.pk,
            "ballots": ballots,
            "blank": blank,
            "void": void,
            "votes": {str(k): v for k, v in votes.items()},
            "checkins": checkins,
            "explanation": explanation.strip(),
        },
    )
    return count


# --- Results: gather, allocate, store -----------------------------------------------------------------------


@dataclass
class Figures:
    """Everything the count needs, read from the database (no rule applied yet)."""

    candidacies: list[Candidacy]
    online_ballots: int
    online_totals: dict[int, int]
    online_blank: int
    online_void: int
    online_voters: int
    receipts_published: int
    paper_totals: dict[int, int]
    paper_ballots: int
    paper_blank: int
    void: int
    voters: int
    roll_size: int
    totals: dict[int, int] = field(default_factory=dict)


def gather_figures(election: Election) -> Figures:
    candidacies = list(accepted_candidacies(election).select_related("person"))
    online = list(CountedBallot.objects.filter(election=election).values_list("choices", "void"))
    online_totals, online_blank = tally.count_online(choices for choices, void in online if not void)
    paper: dict[int, int] = {}
    for candidacy_id, votes in StationCandidateCount.objects.filter(
        count__station__election=election
    ).values_list("candidacy_id", "votes"):
        paper[candidacy_id] = paper.get(candidacy_id, 0) + votes
    counts = list(StationCount.objects.filter(station__election=election))
    figures = Figures(
        candidacies=candidacies,
        online_ballots=len(online),
        online_totals=online_totals,
        online_blank=online_blank,
        online_void=sum(1 for _choices, void in online if void),
        online_voters=election.participations.filter(channel=Participation.Channel.ONLINE).count(),
        receipts_published=election.published_receipts.count(),
        paper_totals=paper,
        paper_ballots=sum(c.ballots for c in counts),
        paper_blank=sum(c.blank for c in counts),
        void=sum(c.void for c in counts),
        voters=election.participations.count(),
        roll_size=election.roll.filter(removed=False).count(),
    )
    figures.totals = tally.add_votes(online_totals, paper, candidates=[c.pk for c in candidacies])
    return figures


def tie_break_order(election: Election, figures: Figures, actor: Any) -> tuple[list[int], list[list[int]]]:
    """The order that breaks ties, when there are any: by the election's rule (a draw is logged)."""
    groups = tally.tied_groups(figures.totals)
    if not groups:
        return [], []
    if election.tie_rule == Election.TieRule.OLDEST:
        return [c.pk for c in sorted(figures.candidacies, key=lambda c: (c.person.birth_date, c.pk))], groups
    order = [c.pk for c in figures.candidacies]
    secrets.SystemRandom().shuffle(order)
    names = {c.pk: c.display_name for c in figures.candidacies}
    log(
        election,
        ElectionEvent.Kind.TIE_DRAWN,
        actor,
        _("Ties broken by a draw: %(order)s.")
        % {"order": "; ".join(" > ".join(names[c] for c in order if c in g) for g in groups)},
        {"groups": groups, "order": order},
    )
    return order, groups


def allocate_seats(election: Election, figures: Figures, tie_order: list[int]) -> tally.Outcome:
    return tally.allocate(
        totals=figures.totals,
        seats=election.seats,
        tie_order=tie_order,
        blank=figures.online_blank + figures.paper_blank,
        void=figures.void + figures.online_void,
        voters=figures.voters,
        roll_size=figures.roll_size,
        quorum_percent=election.quorum_percent,
    )


def store_results(
    election: Election,
    figures: Figures,
    outcome: tally.Outcome,
    tie_order: list[int],
    actor: Any,
    now: datetime.datetime,
) -> ElectionResult:
    result = ElectionResult.objects.create(
        election=election,
        roll_size=figures.roll_size,
        voters=figures.voters,
        online_ballots=figures.online_ballots,
        online_voters=figures.online_voters,
        receipts_published=figures.receipts_published,
        paper_ballots=figures.paper_ballots,
        blank=outcome.blank,
        void=outcome.void,
        turnout_percent=outcome.turnout_percent,
        valid=outcome.valid,
        tie_draw=tie_order,
        computed_at=now,
    )
    CandidateResult.objects.bulk_create(
        [
            CandidateResult(
                result=result,
                candidacy_id=r.candidate,
                online_votes=figures.online_totals.get(r.candidate, 0),
                paper_votes=figures.paper_totals.get(r.candidate, 0),
                votes=r.votes,
                rank=r.rank,
                outcome=r.outcome,
            )
            for r in outcome.ranking
        ]
    )
    log(
        election,
        ElectionEvent.Kind.RESULTS_PUBLISHED,
        actor,
        (
            _("Results published: valid election, turnout %(turnout)s %%.")
            if outcome.valid
            else _("Results published: invalid election (turnout %(turnout)s %% under the quorum).")
        )
        % {"turnout": outcome.turnout_percent},
        {
            "voters": figures.voters,
            "roll_size": figures.roll_size,
            "valid": outcome.valid,
            "totals": {str(k): v for k, v in figures.totals.items()},
        },
    )
    return result


def compute_results(election: Election, actor: Any, now: datetime.datetime) -> ElectionResult:
    figures = gather_figures(election)
    tie_order, groups = tie_break_order(election, figures, actor)
    outcome = allocate_seats(election, figures, tie_order)
    return store_results(election, figures, outcome, tie_order if groups else [], actor, now)


# --- After the complaint period -----------------------------------------------------------------------------


def purge_participation(election: Election, actor: Any, now: datetime.datetime) -> None:
    """After the complaint period: who voted and the codes are deleted; the counts stay on ElectionResult. The
    printed invitations (they hold the codes) are deleted once this is committed: a rollback keeps them."""
    deleted, _details = Participation.objects.filter(election=election).delete()
    election.roll.update(code_seed="", code_hash="", failed_attempts=0)
    RollEntry.objects.filter(election=election).delete()
    transaction.on_commit(lambda: notifications.invitation_letters_delete(election=election))
    election.participation_purged_at = now
    log(
        election,
        ElectionEvent.Kind.PARTICIPATION_PURGED,
        actor,
        _("Participation records and voting codes deleted (%(count)d records); counts kept.")
        % {"count": deleted},
    )


def result_make_final(election: Election, actor: Any, now: datetime.datetime) -> None:
    ElectionResult.objects.filter(election=election).update(final_at=now)
    log(election, ElectionEvent.Kind.RESULT_FINAL, actor, _("The result is final."))
    purge_participation(election, actor, now)
