"""Reads of elections: the candidate lists, the roll, the committee's counters and the published results.

Results are refused here, not only hidden in templates, until voting has closed and the count is published.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Person

from . import codes
from .models import Candidacy, CandidateResult, Election, ElectionResult, RollEntry


class ResultsNotAvailable(PermissionDenied):
    pass


def election_results(election: Election, now: datetime.datetime | None = None) -> ElectionResult:
    """The published result with its candidates in rank order (3 queries whatever the number of candidates)."""
    if not election.voting_has_closed(now) or not election.results_published:
        raise ResultsNotAvailable(
            _("Results are not available before voting has closed and the count is published.")
        )
    return ElectionResult.objects.prefetch_related(
        Prefetch("candidates", queryset=CandidateResult.objects.select_related("candidacy").order_by("rank"))
    ).get(election=election)


def accepted_candidacies(election: Election) -> QuerySet[Candidacy]:
    """The valid candidates (in no particular order: callers sort as their page needs)."""
    return election.candidacies.filter(status=Candidacy.Status.ACCEPTED)


def public_candidates(election: Election) -> QuerySet[Candidacy]:
    """The published list: accepted candidates in list order, name and chosen label only."""
    return (
        accepted_candidacies(election)
        .only("display_name", "label_text", "statement", "photo", "position", "election_id")
        .order_by("position", "display_name")
    )


def current_election() -> Election | None:
    return Election.objects.current().first()


def today() -> datetime.date:
    return timezone.localdate()


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def eligible_voters(election: Election, today: datetime.date | None = None) -> QuerySet[Person]:
    """Persons of the minimum age on election day, living in a dwelling of the company since the reference date
    and still today."""
    today = today or timezone.localdate()
    reference = election.roll_reference_date
    election_day = election.voting_date or today
    born_before = years_before(election_day, election.voter_min_age)
    return (
        Person.objects.current(today)
        .filter(start_date__lte=reference, household__start_date__lte=reference, birth_date__lte=born_before)
        .distinct()
    )


def participation_counts(election: Election) -> dict[str, int]:
    """For the committee during voting: how many voted by channel (never what)."""
    rows = election.participations.values("channel").annotate(n=Count("id"))
    counts = {row["channel"]: row["n"] for row in rows}
    counts["total"] = sum(counts.values())
    counts["roll"] = election.roll.filter(removed=False).count()
    return counts


def roll_search(election: Election, query: str, limit: int = 20) -> QuerySet[RollEntry]:
    """Find voters on the roll by name, address or voting code (committee tablet)."""
    query = (query or "").strip()
    entries = election.roll.filter(removed=False).select_related(
        "person__household__dwelling__building", "participation"
    )
    if not query:
        return entries.none()
    normalised = codes.normalise(query)
    condition = Q()
    for word in query.split():
        condition &= (
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__household__dwelling__building__street__icontains=word)
            | Q(person__household__dwelling__building__number__iexact=word)
        )
    if len(normalised) == codes.CODE_LENGTH:
        condition |= Q(code_hash=codes.code_hash(normalised))
    return entries.filter(condition)[:limit]
