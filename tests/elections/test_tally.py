"""Tally rules, one test per rule, on plain data (elections/tally.py has no database access)."""

from decimal import Decimal

import pytest

from elections import tally


def outcome(totals, seats=2, tie_order=(), voters=50, roll_size=100, quorum=5):
    return tally.allocate(
        totals=totals,
        seats=seats,
        tie_order=list(tie_order),
        blank=0,
        void=0,
        voters=voters,
        roll_size=roll_size,
        quorum_percent=quorum,
    )


def test_seats_go_to_the_candidates_with_most_votes_and_the_rest_are_ranked_substitutes():
    result = outcome({1: 10, 2: 30, 3: 20, 4: 5}, seats=2)
    assert result.elected == [2, 3]
    assert result.substitutes == [1, 4]
    assert [r.rank for r in result.ranking] == [1, 2, 3, 4]


def test_tie_for_last_seat_is_decided_by_recorded_draw():
    totals = {1: 30, 2: 12, 3: 12, 4: 3}
    assert tally.tied_groups(totals) == [[2, 3]]
    assert outcome(totals, tie_order=[3, 2]).elected == [1, 3]
    assert outcome(totals, tie_order=[2, 3]).elected == [1, 2]


def test_tie_without_a_recorded_order_is_refused_rather_than_left_to_database_order():
    with pytest.raises(ValueError, match="tied"):
        outcome({1: 5, 2: 5}, tie_order=[])


def test_tie_between_substitutes_orders_them_by_the_same_draw():
    result = outcome({1: 9, 2: 8, 3: 1, 4: 1}, tie_order=[4, 3, 2, 1])
    assert result.substitutes == [4, 3]


def test_turnout_below_quorum_makes_election_invalid():
    result = outcome({1: 3, 2: 1}, voters=4, roll_size=100, quorum=5)
    assert result.valid is False
    assert result.elected == []
    assert {r.outcome for r in result.ranking} == {"not_elected"}


def test_turnout_exactly_at_quorum_makes_election_valid():
    assert tally.quorum_met(5, 100, 5) is True
    assert tally.quorum_met(4, 100, 5) is False


def test_quorum_is_compared_exactly_not_on_the_rounded_turnout():
    # 49/1000 = 4.9 % is displayed 4.90 and must not pass a 4.95 % quorum by rounding.
    assert tally.turnout_percent(49, 1000) == Decimal("4.90")
    assert tally.quorum_met(49, 1000, Decimal("4.95")) is False


def test_turnout_is_voters_divided_by_roll_size():
    assert tally.turnout_percent(1, 3) == Decimal("33.33")
    assert tally.turnout_percent(0, 0) == Decimal("0.00")


def test_online_and_paper_votes_are_added_per_candidate():
    online, blank = tally.count_online([[1, 2], [], [2]])
    assert online == {1: 1, 2: 2}
    assert blank == 1
    assert tally.add_votes(online, {2: 5, 3: 1}, candidates=[1, 2, 3, 4]) == {1: 1, 2: 7, 3: 1, 4: 0}


def test_ballot_with_more_choices_than_allowed_is_refused():
    assert tally.ballot_problems([1, 2, 3], allowed=[1, 2, 3], max_choices=2) == ["too_many"]


def test_ballot_naming_a_candidate_not_on_the_list_is_refused():
    assert tally.ballot_problems([9], allowed=[1, 2], max_choices=2) == ["unknown_candidate"]


def test_ballot_choosing_the_same_candidate_twice_is_refused():
    assert "duplicate" in tally.ballot_problems([1, 1], allowed=[1, 2], max_choices=2)


def test_empty_ballot_is_a_valid_blank_vote():
    assert tally.ballot_problems([], allowed=[1, 2], max_choices=2) == []
