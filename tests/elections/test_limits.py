"""Every limit of an election at its boundary: exactly the limit is accepted, one step more is refused.

The calendar of tests/elections/factories.py: election day 10 March 2026 (voting 08:00-16:00, Brussels time), roll
reference date 1 December 2025, candidacies 5 January - 5 February, complaints until 25 March.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from elections import guards, services
from elections.models import Candidacy, Election, Participation

from .factories import (
    BRUSSELS,
    DURING_CANDIDACIES,
    DURING_VOTING,
    committee_member,
    election_in_voting,
    make_company,
    make_election,
    make_person,
)

pytestmark = pytest.mark.django_db
ELECTION_DAY = datetime.date(2026, 3, 10)
REFERENCE_DATE = datetime.date(2025, 12, 1)
DAY = datetime.timedelta(days=1)


def _on_roll(person, **election_fields) -> bool:
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election(**election_fields)
        services.roll_generate(election=election, actor=None)
    return election.roll.filter(person=person).exists()


# --- Voters: the minimum age on election day, living in the company since the reference date ---------------


@pytest.mark.parametrize(
    ("birth_date", "on_roll"),
    [(datetime.date(2010, 3, 10), True), (datetime.date(2010, 3, 11), False)],
    ids=["16 on election day", "16 the day after"],
)
def test_a_voter_is_on_the_roll_from_the_day_they_reach_the_minimum_age_on_election_day(birth_date, on_roll):
    assert _on_roll(make_person(birth_date=birth_date), voter_min_age=16) is on_roll


@pytest.mark.parametrize(
    ("election_day", "on_roll"),
    [(datetime.date(2026, 2, 28), False), (datetime.date(2026, 3, 1), True)],
    ids=["28 February", "1 March"],
)
def test_a_voter_born_on_29_february_reaches_the_age_on_1_march_of_a_common_year(election_day, on_roll):
    person = make_person(birth_date=datetime.date(2008, 2, 29))
    opens = datetime.datetime.combine(election_day, datetime.time(8, 0), tzinfo=BRUSSELS)
    fields = {"voting_opens_at": opens, "voting_closes_at": opens + datetime.timedelta(hours=8)}
    assert _on_roll(person, voter_min_age=18, **fields) is on_roll


@pytest.mark.parametrize(
    ("moved_in", "on_roll"),
    [(REFERENCE_DATE, True), (REFERENCE_DATE + DAY, False)],
    ids=["on the reference date", "the day after"],
)
def test_a_voter_must_live_in_the_company_since_the_roll_reference_date(moved_in, on_roll):
    person = make_person(since=moved_in)
    assert _on_roll(person, roll_reference_date=REFERENCE_DATE) is on_roll


def test_a_household_that_arrived_after_the_reference_date_is_off_the_roll_even_if_its_member_was_earlier():
    person = make_person(since=REFERENCE_DATE)
    household = person.household
    household.start_date = REFERENCE_DATE + DAY
    household.save()
    assert _on_roll(person, roll_reference_date=REFERENCE_DATE) is False


# --- Candidates: the minimum age on election day, months registered at the company --------------------------


def _problems(person, **election_fields) -> list[str]:
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election(**election_fields)
        return guards.candidacy_eligibility_problems(election=election, person=person)


@pytest.mark.parametrize(
    ("birth_date", "eligible"),
    [(datetime.date(2010, 3, 10), True), (datetime.date(2010, 3, 11), False)],
    ids=["16 on election day", "16 the day after"],
)
def test_a_candidate_must_reach_the_minimum_age_on_election_day(birth_date, eligible):
    problems = _problems(make_person(birth_date=birth_date, registered_on=datetime.date(2015, 1, 1)))
    assert problems == ([] if eligible else ["Younger than 16 on election day."])


@pytest.mark.parametrize(
    ("registered_on", "problems"),
    [
        (datetime.date(2025, 3, 10), []),
        (
            datetime.date(2025, 3, 11),
            ["Registered at the company for 11 months on election day: 12 are needed."],
        ),
    ],
    ids=["12 months on election day", "a day short"],
)
def test_a_candidate_must_be_registered_at_the_company_for_the_minimum_months_on_election_day(
    registered_on, problems
):
    person = make_person(since=datetime.date(2024, 1, 1), registered_on=registered_on)
    assert _problems(person, candidate_min_months=12) == problems


# --- Candidacies: received by the closing date ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "accepted"),
    [(datetime.date(2026, 2, 5), True), (datetime.date(2026, 2, 6), False)],
    ids=["on the closing day", "the day after"],
)
def test_an_online_candidacy_is_accepted_until_the_closing_day_included(today, accepted):
    committee = committee_member()
    person = make_person()
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        services.election_advance(election=election, actor=committee)
    with time_machine.travel(
        datetime.datetime.combine(today, datetime.time(23, 0), tzinfo=BRUSSELS), tick=False
    ):
        if accepted:
            services.candidacy_submit(election=election, person=person, channel=Candidacy.Channel.ONLINE)
        else:
            with pytest.raises(ValidationError, match="Candidacies closed on"):
                services.candidacy_submit(election=election, person=person, channel=Candidacy.Channel.ONLINE)


@pytest.mark.parametrize(
    ("received_on", "accepted"),
    [(datetime.date(2026, 2, 5), True), (datetime.date(2026, 2, 6), False)],
    ids=["received on the closing day", "received the day after"],
)
def test_a_paper_form_entered_later_counts_when_it_was_received_by_the_closing_day(received_on, accepted):
    committee = committee_member()
    person = make_person()
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        services.election_advance(election=election, actor=committee)
    with time_machine.travel(datetime.datetime(2026, 2, 10, 10, 0, tzinfo=BRUSSELS), tick=False):
        submit = {
            "election": election,
            "person": person,
            "channel": Candidacy.Channel.PAPER,
            "received_on": received_on,
            "actor": committee,
        }
        if accepted:
            assert services.candidacy_submit(**submit).received_on == received_on
        else:
            with pytest.raises(ValidationError, match="received by the closing date"):
                services.candidacy_submit(**submit)


# --- The candidate list: the minimum number of valid candidates ---------------------------------------------


@pytest.mark.parametrize(("accepted", "allowed"), [(5, True), (4, False)])
def test_the_list_is_published_with_exactly_the_minimum_of_valid_candidates(accepted, allowed):
    committee = committee_member()
    persons = make_company(households=5, members=2)
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election(min_candidates=5)
        services.election_advance(election=election, actor=committee)
        for person in persons[:accepted]:
            candidacy = services.candidacy_submit(election=election, person=person, channel="online")
            services.candidacy_decide(
                candidacy=candidacy,
                accept=True,
                reason="",
                charter_signed=True,
                court_check_done=True,
                actor=None,
            )
    with time_machine.travel(datetime.datetime(2026, 2, 21, 10, 0, tzinfo=BRUSSELS), tick=False):
        issues = guards.election_issues_before_advance(election)
    assert issues == ([] if allowed else ["Only 4 valid candidates: the minimum is 5."])


# --- Proxies: how many one person may hold ------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 2])
def test_a_holder_carries_exactly_the_allowed_number_of_proxies_and_not_one_more(limit):
    election, persons, accepted, committee = election_in_voting(voters=10, proxies_per_holder=limit)
    station = election.stations.get()
    holder, *voters = list(election.roll.order_by("pk")[: limit + 2])
    with time_machine.travel(DURING_VOTING, tick=False):
        for voter in voters[:limit]:
            services.voter_check_in(
                election=election, station=station, roll_entry_id=voter.pk, proxy_holder_id=holder.pk
            )
        with pytest.raises(ValidationError, match=f"already holds {limit} prox.+that is the limit"):
            services.voter_check_in(
                election=election, station=station, roll_entry_id=voters[limit].pk, proxy_holder_id=holder.pk
            )
    assert Participation.objects.filter(proxy_holder=holder).count() == limit
    assert not Participation.objects.filter(roll_entry=voters[limit]).exists()


# --- Ballots: at most the allowed number of choices ---------------------------------------------------------


@pytest.mark.parametrize(("choices", "accepted"), [(3, True), (4, False)])
def test_a_ballot_names_exactly_the_allowed_number_of_candidates_and_not_one_more(choices, accepted):
    election, persons, candidates, committee = election_in_voting(voters=10, max_choices=3)
    entry = election.roll.order_by("pk").last()
    chosen = [c.pk for c in candidates[:choices]]
    with time_machine.travel(DURING_VOTING, tick=False):
        if accepted:
            services.ballot_cast(election=election, roll_entry_id=entry.pk, choices=chosen)
        else:
            with pytest.raises(ValidationError, match="Choose at most 3 candidates"):
                services.ballot_cast(election=election, roll_entry_id=entry.pk, choices=chosen)
    assert Participation.objects.filter(roll_entry=entry).exists() is accepted


@pytest.mark.parametrize(("max_choices", "valid"), [(5, True), (6, False)])
def test_the_choices_per_ballot_are_at_most_the_number_of_seats(max_choices, valid):
    election = Election(council_name="C", slug="c", seats=5, max_choices=max_choices)
    if valid:
        election.full_clean()
    else:
        with pytest.raises(
            ValidationError, match="cannot choose more candidates than there are seats"
        ) as refusal:
            election.full_clean()
        assert list(refusal.value.message_dict) == ["max_choices"]


@pytest.mark.parametrize(("seats", "valid"), [(4, False), (5, True), (15, True), (16, False)])
def test_a_council_has_5_to_15_seats(seats, valid):
    election = Election(council_name="C", slug="c", seats=seats)
    if valid:
        election.full_clean()
    else:
        with pytest.raises(ValidationError) as refusal:
            election.full_clean()
        assert list(refusal.value.message_dict) == ["seats"]


# --- The voting window and the phases -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (datetime.datetime(2026, 3, 10, 7, 59, 59, tzinfo=BRUSSELS), False),
        (datetime.datetime(2026, 3, 10, 8, 0, tzinfo=BRUSSELS), True),
        (datetime.datetime(2026, 3, 10, 15, 59, 59, tzinfo=BRUSSELS), True),
        (datetime.datetime(2026, 3, 10, 16, 0, tzinfo=BRUSSELS), False),
    ],
    ids=["a second before opening", "at opening", "a second before closing", "at closing"],
)
def test_a_ballot_is_accepted_from_the_opening_second_until_just_before_the_closing_one(moment, open_):
    election, persons, candidates, committee = election_in_voting(voters=10)
    entry = election.roll.order_by("pk").last()
    with time_machine.travel(moment, tick=False):
        if open_:
            services.ballot_cast(election=election, roll_entry_id=entry.pk, choices=[])
        else:
            with pytest.raises(ValidationError, match="Voting is not open"):
                services.ballot_cast(election=election, roll_entry_id=entry.pk, choices=[])


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (datetime.datetime(2026, 3, 25, 23, 59, tzinfo=BRUSSELS), False),
        (datetime.datetime(2026, 3, 26, 0, 0, tzinfo=BRUSSELS), True),
    ],
    ids=["on the last day of the complaint period", "the day after"],
)
def test_the_result_becomes_final_the_day_after_the_complaint_period(moment, allowed):
    election, persons, candidates, committee = election_in_voting(voters=10)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 17, 0, tzinfo=BRUSSELS), tick=False):
        services.election_advance(election=election, actor=committee)
        services.station_count_enter(
            station=election.stations.get(),
            ballots=0,
            blank=0,
            void=0,
            votes={c.pk: 0 for c in candidates},
            actor=committee,
        )
        services.election_advance(election=election, actor=committee)
    with time_machine.travel(moment, tick=False):
        if allowed:
            services.election_advance(election=election, actor=committee)
            election.refresh_from_db()
            assert election.status == Election.Status.CLOSED
        else:
            with pytest.raises(ValidationError, match="The complaint period ends on"):
                services.election_advance(election=election, actor=committee)


# --- The order of the election's dates ----------------------------------------------------------------------


def _dated(**changes) -> Election:
    opens = datetime.datetime(2026, 3, 10, 8, 0, tzinfo=BRUSSELS)
    values = {
        "council_name": "C",
        "slug": "c",
        "candidacies_open_on": datetime.date(2026, 1, 5),
        "candidacies_close_on": datetime.date(2026, 1, 5),
        "candidates_published_on": datetime.date(2026, 1, 5),
        "voting_opens_at": opens,
        "voting_closes_at": opens + datetime.timedelta(seconds=1),
        "complaints_end_on": datetime.date(2026, 3, 10),
    }
    values.update(changes)
    return Election(**values)


def test_dates_may_fall_on_the_same_day_as_the_date_before_them():
    _dated().full_clean()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"candidacies_close_on": datetime.date(2026, 1, 4)}, "candidacies_close_on"),
        ({"candidates_published_on": datetime.date(2026, 1, 4)}, "candidates_published_on"),
        ({"voting_opens_at": datetime.datetime(2026, 1, 4, 8, 0, tzinfo=BRUSSELS)}, "voting_opens_at"),
        ({"complaints_end_on": datetime.date(2026, 3, 9)}, "complaints_end_on"),
        ({"voting_closes_at": datetime.datetime(2026, 3, 10, 8, 0, tzinfo=BRUSSELS)}, "voting_closes_at"),
    ],
    ids=[
        "candidacies close before they open",
        "list published before candidacies close",
        "voting opens before the list is published",
        "complaints end before voting closes",
        "voting closes when it opens",
    ],
)
def test_a_date_one_step_before_the_one_it_follows_is_refused_on_that_field(changes, field):
    with pytest.raises(ValidationError) as refusal:
        _dated(**changes).full_clean()
    assert list(refusal.value.message_dict) == [field]
