"""Views of elections: public pages (`public`), the tenant's candidacy (`candidacy`), online voting (`voting`),
the election desk (`staff`), the online ballot box's key (`ballot_box`) and the polling stations (`station`).

Thin adapters: a named permission (elections.permissions), a form, one service call, a redirect.
"""

from .ballot_box import manage_ballot_box_open, manage_key_ceremony, manage_key_check
from .candidacy import apply, my_candidacy
from .public import (
    ballot_box,
    ballot_box_file,
    candidate_list,
    candidate_photo,
    election_detail,
    election_index,
    receipt_check,
    results,
)
from .staff import (
    manage_advance,
    manage_candidacies,
    manage_candidacy,
    manage_election,
    manage_index,
    manage_invitations,
    manage_rerun,
    manage_roll,
    manage_roll_remove,
    manage_rules,
)
from .station import results_pdf, station_count, station_desk
from .voting import VOTER_SESSION_KEY, vote_ballot, vote_start

__all__ = [
    "VOTER_SESSION_KEY",
    "apply",
    "ballot_box",
    "ballot_box_file",
    "candidate_list",
    "candidate_photo",
    "election_detail",
    "election_index",
    "manage_advance",
    "manage_ballot_box_open",
    "manage_candidacies",
    "manage_candidacy",
    "manage_election",
    "manage_index",
    "manage_invitations",
    "manage_key_ceremony",
    "manage_key_check",
    "manage_rerun",
    "manage_roll",
    "manage_roll_remove",
    "manage_rules",
    "my_candidacy",
    "receipt_check",
    "results",
    "results_pdf",
    "station_count",
    "station_desk",
    "vote_ballot",
    "vote_start",
]
