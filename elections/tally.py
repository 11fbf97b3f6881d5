"""Tally maths: pure functions over plain data (no ORM), so every rule is unit-tested on its own.

The service layer (`elections.services._compute_results`, when results are published) gathers the figures from the database, draws lots
when `tied_groups` says a draw is needed, and stores what these functions return.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Ranked:
    candidate: int
    votes: int
    rank: int
    outcome: str  # "elected" | "substitute" | "not_elected"


@dataclass(frozen=True)
class Outcome:
    totals: dict[int, int]
    blank: int
    void: int
    voters: int
    roll_size: int
    turnout_percent: Decimal
    valid: bool
    ranking: list[Ranked] = field(default_factory=list)

    @property
    def elected(self) -> list[int]:
        return [r.candidate for r in self.ranking if r.outcome == "elected"]

    @property
    def substitutes(self) -> list[int]:
        return [r.candidate for r in self.ranking if r.outcome == "substitute"]


def add_votes(*sources: Mapping[int, int], candidates: Iterable[int]) -> dict[int, int]:
    """Sum per candidate over several sources (online ballots, each station's paper count); zero when absent."""
    return {c: sum(src.get(c, 0) for src in sources) for c in candidates}


def count_online(ballots: Iterable[Sequence[int]]) -> tuple[dict[int, int], int]:
    """Votes per candidate and the number of blank ballots, from online ballots given as lists of candidate ids."""
    totals: dict[int, int] = {}
    blank = 0
    for choices in ballots:
        if not choices:
            blank += 1
        for candidate in choices:
            totals[candidate] = totals.get(candidate, 0) + 1
    return totals, blank


def turnout_percent(voters: int, roll_size: int) -> Decimal:
    if roll_size <= 0:
        return Decimal("0.00")
    return (Decimal(voters) * 100 / Decimal(roll_size)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def quorum_met(voters: int, roll_size: int, quorum_percent: Decimal | int | float) -> bool:
    """Exact comparison (voters / roll >= quorum %), without the rounding of the displayed turnout."""
    if roll_size <= 0:
        return False
    return Decimal(voters) * 100 >= Decimal(str(quorum_percent)) * Decimal(roll_size)


def tied_groups(totals: Mapping[int, int]) -> list[list[int]]:
    """Groups of two or more candidates with the same number of votes (a tie-break order is needed within each)."""
    by_votes: dict[int, list[int]] = {}
    for candidate, votes in totals.items():
        by_votes.setdefault(votes, []).append(candidate)
    return [sorted(group) for votes, group in sorted(by_votes.items(), reverse=True) if len(group) > 1]


def rank(totals: Mapping[int, int], tie_order: Sequence[int]) -> list[int]:
    """Candidates by votes (most first); equal votes ordered by their position in `tie_order`.

    `tie_order` is the recorded draw (or another rule's order, e.g. oldest first); it must list every tied
    candidate, otherwise the ranking would depend on database order and a ValueError is raised.
    """
    position = {candidate: index for index, candidate in enumerate(tie_order)}
    for group in tied_groups(totals):
        missing = [c for c in group if c not in position]
        if missing:
            raise ValueError(f"No tie-break order for tied candidates {missing}.")
    return sorted(totals, key=lambda c: (-totals[c], position.get(c, 0)))


def allocate(
    *,
    totals: Mapping[int, int],
    seats: int,
    tie_order: Sequence[int],
    blank: int,
    void: int,
    voters: int,
    roll_size: int,
    quorum_percent: Decimal | int | float,
) -> Outcome:
    """The whole result: seats to the candidates with most votes, the rest substitutes in rank order.

    An election under the quorum is invalid: nobody is elected.
    """
    valid = quorum_met(voters, roll_size, quorum_percent)
    ranking = []
    for index, candidate in enumerate(rank(totals, tie_order)):
        if not valid:
            outcome = "not_elected"
        elif index < seats:
            outcome = "elected"
        else:
            outcome = "substitute"
        ranking.append(Ranked(candidate=candidate, votes=totals[candidate], rank=index + 1, outcome=outcome))
    return Outcome(
        totals=dict(totals),
        blank=blank,
        void=void,
        voters=voters,
        roll_size=roll_size,
        turnout_percent=turnout_percent(voters, roll_size),
        valid=valid,
        ranking=ranking,
    )


def ballot_problems(choices: Sequence[int], *, allowed: Iterable[int], max_choices: int) -> list[str]:
    """Why a set of choices is not a valid ballot (empty list when it is). An empty list of choices is blank."""
    problems = []
    allowed_set = set(allowed)
    if len(set(choices)) != len(choices):
        problems.append("duplicate")
    if len(set(choices)) > max_choices:
        problems.append("too_many")
    if any(c not in allowed_set for c in choices):
        problems.append("unknown_candidate")
    return problems
