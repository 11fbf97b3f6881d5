"""State changes of elections, one module per stage: `phases` (create, advance, re-run), `rules` (settings, the
frozen rules and their corrections, polling stations), `roll` (the roll and the invitations), `candidacies`,
`voting` (identification, online cast, check-in at a station), `ballot_box` (the key ceremony and the opening of
the online ballots) and `counting` (paper counts, results, the purge of participation data).

Every public function is keyword-only and atomic, locks what it changes and refuses with a `ValidationError` a
user can read; decisions that matter are written to the append-only `ElectionEvent` log. Reads are in
`elections.selectors`, the conditions of each move in `elections.guards`.
"""

from .ballot_box import ballot_box_create, ballot_box_open, key_share_check
from .candidacies import candidacy_decide, candidacy_submit, candidacy_update
from .counting import station_count_enter
from .phases import election_advance, election_create, election_rerun
from .roll import election_invitations_send, roll_entry_add, roll_entry_remove, roll_generate
from .rules import (
    election_delete,
    election_rules_correct,
    election_settings_update,
    polling_station_delete,
    polling_station_save,
)
from .voting import (
    ALREADY_VOTED,
    MAX_CODE_ATTEMPTS,
    ballot_cast,
    voter_check_in,
    voter_for_account,
    voter_identify,
)

__all__ = [
    "ALREADY_VOTED",
    "MAX_CODE_ATTEMPTS",
    "ballot_box_create",
    "ballot_box_open",
    "ballot_cast",
    "candidacy_decide",
    "candidacy_submit",
    "candidacy_update",
    "election_advance",
    "election_create",
    "election_delete",
    "election_invitations_send",
    "election_rerun",
    "election_rules_correct",
    "key_share_check",
    "election_settings_update",
    "polling_station_delete",
    "polling_station_save",
    "roll_entry_add",
    "roll_entry_remove",
    "roll_generate",
    "station_count_enter",
    "voter_check_in",
    "voter_for_account",
    "voter_identify",
]
