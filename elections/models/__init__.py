"""Advisory-council elections with a secret ballot.

Secrecy by construction (style.md guideline 9): *who* voted is a `Participation` (unique per roll entry); *what*
was voted is a `Ballot` with its `BallotChoice` rows. The two are written in the same transaction but share no
key, no timestamp and no sequential id: ballots and choices have random UUID primary keys and no date at all, and
nothing on a ballot points to a person, a roll entry, a station or a request (no IP, no user agent).
`tests/elections/test_secrecy.py` walks the schema to prove there is no path from a ballot to a person.
"""

from .ballots import Ballot, BallotChoice
from .candidacy import Candidacy
from .election import (
    CALENDAR,
    CORRECTABLE_WHEN_FROZEN,
    DATE_FIELDS,
    SETTINGS,
    Election,
    ElectionEvent,
    ElectionQuerySet,
    PollingStation,
)
from .results import CandidateResult, ElectionResult, StationCandidateCount, StationCount
from .roll import Participation, RollEntry

__all__ = [
    "CALENDAR",
    "CORRECTABLE_WHEN_FROZEN",
    "DATE_FIELDS",
    "Ballot",
    "BallotChoice",
    "Candidacy",
    "CandidateResult",
    "Election",
    "ElectionEvent",
    "ElectionQuerySet",
    "ElectionResult",
    "Participation",
    "PollingStation",
    "RollEntry",
    "SETTINGS",
    "StationCandidateCount",
    "StationCount",
]
