"""Reads of elections. Results are refused here, not only hidden in templates, until voting has closed and the
count is published."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Candidacy, CandidateResult, Election, ElectionResult


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


def public_candidates(election: Election):
    """The published list: accepted candidates in list order, name and chosen label only."""
    return (
        election.candidacies.filter(status=Candidacy.Status.ACCEPTED)
        .only("display_name", "label_text", "statement", "photo", "position", "election_id")
        .order_by("position", "display_name")
    )


def current_election() -> Election | None:
    return Election.objects.current().first()


def today() -> datetime.date:
    return timezone.localdate()
