"""A complete election through the services, against PostgreSQL (the acceptance scenario of issue 6)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from elections import codes, guards, services
from elections.models import (
    Ballot,
    Candidacy,
    CountedBallot,
    Election,
    ElectionEvent,
    Participation,
    RollEntry,
)
from elections.selectors import ResultsNotAvailable, election_results

from .factories import (
    AFTER_CANDIDACIES,
    AFTER_COMPLAINTS,
    AFTER_VOTING,
    DURING_CANDIDACIES,
    DURING_VOTING,
    committee_member,
    hold_key_ceremony,
    make_company,
    make_election,
    open_ballot_box,
)

pytestmark = pytest.mark.django_db


def code_of(entry: RollEntry) -> str:
    return codes.code_from_seed(entry.code_seed)


def run_election(*, online_voters: int, station_voters: int, proxies: int):
    committee = committee_member()
    persons = make_company(households=20, members=2)  # 40 adults
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election(seats=5, min_candidates=5, quorum_percent=20, proxies_per_holder=1)
        services.election_advance(election=election, actor=committee)
        candidacies = []
        for person in persons[:6]:
            candidacy = services.candidacy_submit(
                election=election,
                person=person,
                channel=Candidacy.Channel.PAPER,
                received_on=datetime.date(2026, 1, 15),
                actor=committee,
            )
            candidacies.append(candidacy)
        for candidacy in candidacies[:5]:
            services.candidacy_decide(
                candidacy=candidacy,
                accept=True,
                reason="",
                charter_signed=True,
                court_check_done=True,
                actor=committee,
            )
        services.candidacy_decide(
            candidacy=candidacies[5],
            accept=False,
            reason="Charter not signed",
            charter_signed=False,
            court_check_done=True,
            actor=committee,
        )
        services.roll_generate(election=election, actor=committee)
    with time_machine.travel(AFTER_CANDIDACIES, tick=False):
        services.election_advance(election=election, actor=committee)
        hold_key_ceremony(election, committee)
    accepted = candidacies[:5]
    station = election.stations.get()
    roll = list(election.roll.order_by("pk"))
    with time_machine.travel(DURING_VOTING, tick=False):
        services.election_advance(election=election, actor=committee)
        for entry in roll[:online_voters]:
            voter = services.voter_identify(
                election=election, code=code_of(entry), birth_date=entry.person.birth_date
            )
            services.ballot_cast(
                election=election, roll_entry_id=voter.pk, choices=[accepted[0].pk, accepted[1].pk]
            )
        at_station = roll[online_voters : online_voters + station_voters]
        for entry in at_station:
            services.voter_check_in(
                election=election, station=station, roll_entry_id=entry.pk, actor=committee
            )
        represented = roll[online_voters + station_voters : online_voters + station_voters + proxies]
        for holder, entry in zip(at_station, represented, strict=False):
            services.voter_check_in(
                election=election,
                station=station,
                roll_entry_id=entry.pk,
                proxy_holder_id=holder.pk,
                actor=committee,
            )
    return election, committee, accepted, station, roll


def test_complete_election_with_quorum_met_is_valid_and_becomes_final():
    election, committee, accepted, station, roll = run_election(online_voters=4, station_voters=4, proxies=2)
    assert election.roll.count() == 40
    with time_machine.travel(DURING_VOTING, tick=False):
        # A second vote by each channel is refused, whatever the first channel was.
        online_voter, station_voter = roll[0], roll[5]
        with pytest.raises(ValidationError, match="already voted"):
            services.voter_check_in(
                election=election, station=station, roll_entry_id=online_voter.pk, actor=committee
            )
        with pytest.raises(ValidationError, match="already voted"):
            services.voter_identify(
                election=election, code=code_of(station_voter), birth_date=station_voter.person.birth_date
            )
        with pytest.raises(ValidationError, match="already voted"):
            services.ballot_cast(election=election, roll_entry_id=station_voter.pk, choices=[])
        with pytest.raises(ValidationError, match="already voted"):
            services.ballot_cast(election=election, roll_entry_id=online_voter.pk, choices=[])
        # A holder holds only one proxy.
        with pytest.raises(ValidationError, match="limit"):
            services.voter_check_in(
                election=election, station=station, roll_entry_id=roll[30].pk, proxy_holder_id=roll[4].pk
            )
        with pytest.raises(ResultsNotAvailable):
            election_results(election)
    assert Participation.objects.filter(election=election).count() == 10
    assert Ballot.objects.filter(election=election).count() == 4

    with time_machine.travel(AFTER_VOTING, tick=False):
        services.election_advance(election=election, actor=committee)
        election.refresh_from_db()
        assert guards.election_issues_before_advance(election) == [
            "Enter the paper count of “Salle communautaire”.",
            "Open the online ballot box: 2 key holders enter their shares.",
        ]
        open_ballot_box(election, committee)
        votes = {c.pk: 0 for c in accepted}
        votes[accepted[2].pk] = 5
        votes[accepted[3].pk] = 3
        services.station_count_enter(
            station=station, ballots=5, blank=1, void=0, votes=votes, actor=committee
        )
        issues = guards.election_issues_before_advance(election)
        assert "5 ballots in the box but 6 check-ins" in issues[0]
        services.station_count_enter(
            station=station,
            ballots=5,
            blank=1,
            void=0,
            votes=votes,
            explanation="One proxy holder left without putting the ballot in the box.",
            actor=committee,
        )
        services.election_advance(election=election, actor=committee)
        result = election_results(election)
    assert result.valid is True
    assert result.voters == 10 and result.roll_size == 40
    assert result.online_ballots == result.online_voters == result.receipts_published == 4
    assert not Ballot.objects.filter(election=election).exists()  # the sealed ballots are gone once opened
    counted = CountedBallot.objects.filter(election=election).values_list("choices", flat=True)
    assert sorted(sorted(c) for c in counted) == [sorted([accepted[0].pk, accepted[1].pk])] * 4
    by_candidate = {c.candidacy_id: c for c in result.candidates.all()}
    assert by_candidate[accepted[0].pk].votes == 4 and by_candidate[accepted[2].pk].votes == 5
    assert result.blank == 1
    assert [c.outcome for c in result.candidates.all()].count("elected") == 5
    refused = Candidacy.objects.get(election=election, status=Candidacy.Status.REFUSED)
    assert not hasattr(refused, "result") or refused.result is None

    with (
        time_machine.travel(AFTER_VOTING + datetime.timedelta(days=2), tick=False),
        pytest.raises(ValidationError, match="complaint period ends"),
    ):
        services.election_advance(election=election, actor=committee)
    with time_machine.travel(AFTER_COMPLAINTS, tick=False):
        services.election_advance(election=election, actor=committee)
    election.refresh_from_db()
    assert election.status == Election.Status.CLOSED
    # Personal participation data are gone; the counts stay.
    assert not Participation.objects.filter(election=election).exists()
    assert not RollEntry.objects.filter(election=election).exists()
    result.refresh_from_db()
    assert result.voters == 10 and result.final_at is not None
    kinds = list(election.events.values_list("kind", flat=True))
    for kind in ["roll_generated", "candidacy_decided", "roll_frozen", "count_entered", "results_published"]:
        assert kind in kinds
    assert kinds[-1] == ElectionEvent.Kind.PARTICIPATION_PURGED or "participation_purged" in kinds


def test_complete_election_with_turnout_under_the_quorum_is_invalid_and_can_be_re_run():
    election, committee, accepted, station, roll = run_election(online_voters=2, station_voters=1, proxies=1)
    with time_machine.travel(AFTER_VOTING, tick=False):
        services.election_advance(election=election, actor=committee)
        open_ballot_box(election, committee)
        services.station_count_enter(
            station=station,
            ballots=2,
            blank=0,
            void=1,
            votes={c.pk: 1 for c in accepted[:1]} | {c.pk: 0 for c in accepted[1:]},
            actor=committee,
        )
        services.election_advance(election=election, actor=committee)
        result = election_results(election)
    assert result.valid is False
    assert str(result.turnout_percent) == "10.00"
    assert not result.candidates.filter(outcome="elected").exists()
    rerun = services.election_rerun(election=election, actor=committee)
    assert rerun.previous == election
    assert rerun.status == Election.Status.DRAFT
    assert rerun.candidacies.count() == 0 and rerun.stations.count() == 1
    with pytest.raises(ValidationError, match="already exists"):
        services.election_rerun(election=election, actor=committee)


def test_publishing_the_candidate_list_is_refused_with_too_few_valid_candidates():
    committee = committee_member()
    persons = make_company(households=4, members=1)
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        services.election_advance(election=election, actor=committee)
        for person in persons:
            candidacy = services.candidacy_submit(
                election=election, person=person, channel=Candidacy.Channel.ONLINE
            )
            services.candidacy_decide(
                candidacy=candidacy,
                accept=True,
                reason="",
                charter_signed=True,
                court_check_done=True,
                actor=committee,
            )
    with time_machine.travel(AFTER_CANDIDACIES, tick=False):
        assert guards.election_issues_before_advance(election) == [
            "Only 4 valid candidates: the minimum is 5."
        ]
        with pytest.raises(ValidationError, match="Only 4 valid candidates: the minimum is 5."):
            services.election_advance(election=election, actor=committee)
    election.refresh_from_db()
    assert election.status == Election.Status.CANDIDACY


def test_opening_candidacies_lists_every_missing_date_and_station():
    committee = committee_member()
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = services.election_create(actor=committee, council_name="CoCoLo", slug="cocolo-empty")
        issues = guards.election_issues_before_advance(election)
    assert any("Set these dates first" in issue and "voting opens at" in issue for issue in issues)
    assert "Add at least one polling station with its opening hours." in issues


def test_roll_contains_adults_living_in_the_company_since_the_reference_date_only():
    committee = committee_member()
    persons = make_company(households=3, members=2)
    child, newcomer, leaver = persons[1], persons[3], persons[5]
    child.birth_date = datetime.date(2012, 1, 1)
    child.save()
    newcomer.start_date = datetime.date(2026, 1, 2)
    newcomer.save()
    leaver.end_date = datetime.date(2026, 1, 10)
    leaver.save()
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election(voter_min_age=16)
        services.roll_generate(election=election, actor=committee)
        on_roll = set(election.roll.values_list("person_id", flat=True))
        assert on_roll == {persons[0].pk, persons[2].pk, persons[4].pk}
        with pytest.raises(ValidationError, match="reason"):
            services.roll_entry_add(election=election, person=newcomer, reason=" ", actor=committee)
        services.roll_entry_add(
            election=election,
            person=newcomer,
            reason="Moved from another dwelling of the company",
            actor=committee,
        )
        assert election.events.filter(kind="roll_corrected").get().data["reason"].startswith("Moved")


def test_roll_cannot_be_corrected_once_voting_has_opened():
    from .factories import election_in_voting

    election, persons, accepted, committee = election_in_voting(voters=10)
    entry = election.roll.first()
    with time_machine.travel(DURING_VOTING, tick=False), pytest.raises(ValidationError, match="frozen"):
        services.roll_entry_remove(entry=entry, reason="Moved out", actor=committee)


def test_candidacy_of_a_recent_tenant_is_refused_by_the_eligibility_check():
    committee = committee_member()
    person = make_company(households=1, members=1, since=datetime.date(2025, 9, 1))[0]
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        services.election_advance(election=election, actor=committee)
        candidacy = services.candidacy_submit(
            election=election, person=person, channel=Candidacy.Channel.ONLINE
        )
        with pytest.raises(ValidationError, match="12 are needed"):
            services.candidacy_decide(
                candidacy=candidacy,
                accept=True,
                reason="",
                charter_signed=True,
                court_check_done=True,
                actor=committee,
            )
        with pytest.raises(ValidationError, match="Give the reason for the refusal"):
            services.candidacy_decide(
                candidacy=candidacy,
                accept=False,
                reason="",
                charter_signed=True,
                court_check_done=True,
                actor=committee,
            )
    candidacy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.SUBMITTED


def test_wrong_dates_of_birth_block_the_code_after_five_attempts():
    from .factories import election_in_voting

    election, persons, accepted, committee = election_in_voting(voters=10)
    entry = election.roll.first()
    with time_machine.travel(DURING_VOTING, tick=False):
        for _ in range(5):
            with pytest.raises(ValidationError, match="do not match"):
                services.voter_identify(
                    election=election, code=code_of(entry), birth_date=datetime.date(1900, 1, 1)
                )
        with pytest.raises(ValidationError, match="blocked"):
            services.voter_identify(
                election=election, code=code_of(entry), birth_date=entry.person.birth_date
            )
    entry.refresh_from_db()
    assert entry.failed_attempts == 5


def test_list_drawn_by_lot_records_the_draw_in_the_election_log():
    from .factories import election_in_voting

    election, persons, accepted, committee = election_in_voting(voters=12, candidate_order="lot")
    event = election.events.get(kind="list_order_drawn")
    positions = dict(election.candidacies.values_list("pk", "position"))
    assert [positions[pk] for pk in event.data["order"]] == [1, 2, 3, 4, 5, 6]
