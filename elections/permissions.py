"""Named permissions of elections, used by views and templates alike (matrix: tests/elections/test_permissions.py)."""

from __future__ import annotations

from typing import Any

from portal.permissions import (
    is_administrator,
    is_collective_worker,
    is_election_committee,
    is_linked_tenant,
    person_for,
)

from .models import Candidacy, Election


def can_manage_election(user: Any) -> bool:
    """Phases, roll, polling-station check-in, paper count: the election committee and administrators."""
    return is_election_committee(user) or is_administrator(user)


def can_handle_candidacies(user: Any) -> bool:
    """Entering paper candidacies and deciding them: collective workers, the committee, administrators."""
    return is_collective_worker(user) or can_manage_election(user)


def can_apply(user: Any, election: Election) -> bool:
    """A tenant with a linked account may apply online while candidacies are open."""
    return election.status == Election.Status.CANDIDACY and is_linked_tenant(user)


def can_vote_online(election: Election) -> bool:
    """Anyone holding a code may try; the code and date of birth decide who votes (on their own ballot only)."""
    return election.online_voting and election.status == Election.Status.VOTING


def can_see_candidates(election: Election) -> bool:
    return election.status not in {Election.Status.DRAFT, Election.Status.CANDIDACY}


def can_see_results(user: Any, election: Election) -> bool:
    """Nobody, not even an administrator, before the results are published (after voting closes)."""
    return election.results_published


def can_see_candidate_photo(user: Any, candidacy: Candidacy) -> bool:
    """A photo is public only with the published list of accepted candidates; before that, only the candidate
    and the people who handle candidacies see it (photos are kept in private storage)."""
    if candidacy.status == Candidacy.Status.ACCEPTED and can_see_candidates(candidacy.election):
        return True
    person = person_for(user)
    return (person is not None and person.pk == candidacy.person_id) or can_handle_candidacies(user)
