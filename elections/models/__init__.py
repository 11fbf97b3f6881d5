"""Advisory-council elections with a secret ballot.

Secrecy by construction: *who* voted is a `Participation` (unique per roll entry); *what* was voted online is a
sealed `Ballot` during the vote, then, once k key holders have opened the box after the close, a `CountedBallot`
(see `elections.models.ballots`). They share no key, no timestamp and no sequential id: ballots have random UUID
primary keys and no date at all, and nothing on a ballot points to a person, a roll entry, a station or a request
(no IP, no user agent). `tests/elections/test_secrecy.py` walks the schema to prove there is no path from a ballot
to a person, and reads PostgreSQL's own metadata and WAL to prove a database reader learns nothing more.
"""

from .ballots import Ballot, BallotBox, CountedBallot, KeyHolder, PublishedReceipt
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
    "BallotBox",
    "Candidacy",
    "CandidateResult",
    "CountedBallot",
    "Election",
    "ElectionEvent",
    "ElectionQuerySet",
    "ElectionResult",
    "KeyHolder",
    "Participation",
    "PollingStation",
    "PublishedReceipt",
    "RollEntry",
    "SETTINGS",
    "StationCandidateCount",
    "StationCount",
]
