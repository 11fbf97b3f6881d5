"""Personal data of elections: "My data" says whether a person voted (never what) for as long as the
participation records exist; the retention job deletes the roll and the participation records once the
complaint period has ended; a candidate's data and photo are in the archive."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from elections import selectors, services
from elections.models import Election, Participation, RollEntry
from portal import gdpr

from .factories import AFTER_VOTING, BRUSSELS, DURING_VOTING, election_in_voting, make_user, open_ballot_box

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _roll(person):
    return {s["key"]: s for s in gdpr.personal_data(person=person)}["elections_roll"]["items"]


def _to_complaints(election, committee):
    with time_machine.travel(AFTER_VOTING, tick=False):
        services.election_advance(election=election, actor=committee)
        open_ballot_box(election, committee)
        station = election.stations.get()
        accepted = selectors.accepted_candidacies(election)
        services.station_count_enter(
            station=station, ballots=0, blank=0, void=0, votes={c.pk: 0 for c in accepted}, actor=committee
        )
        services.election_advance(election=election, actor=committee)
    election.refresh_from_db()
    assert election.status == Election.Status.COMPLAINTS


def test_my_data_says_that_and_how_a_person_voted_never_for_whom():
    election, persons, accepted, committee = election_in_voting(voters=10, candidates=6)
    voter, abstainer = persons[-1], persons[-2]
    entry = election.roll.get(person=voter)
    with time_machine.travel(DURING_VOTING, tick=False):
        receipt = services.ballot_cast(election=election, roll_entry_id=entry.pk, choices=[accepted[0].pk])
    [row] = _roll(voter)
    assert row["election"] == election.council_name and row["on_the_roll"] is True
    assert str(row["voted"]) == "online"
    assert str(_roll(abstainer)[0]["voted"]) == "not (yet) recorded"
    document = gdpr.personal_data_json(person=voter)
    assert receipt not in document
    assert all(c.display_name not in document for c in accepted)


@pytest.mark.parametrize(
    ("moment", "purged"),
    [
        (
            datetime.datetime(2026, 3, 25, 23, 59, tzinfo=BRUSSELS),
            False,
        ),  # the last day of the complaint period
        (datetime.datetime(2026, 3, 26, 0, 1, tzinfo=BRUSSELS), True),  # the day after
    ],
    ids=["on the last day of the complaint period", "the day after"],
)
def test_the_retention_job_deletes_the_roll_and_who_voted_the_day_after_the_complaint_period(moment, purged):
    election, persons, accepted, committee = election_in_voting(voters=10, candidates=6)
    voter = persons[-1]
    with time_machine.travel(DURING_VOTING, tick=False):
        services.ballot_cast(election=election, roll_entry_id=election.roll.get(person=voter).pk, choices=[])
    _to_complaints(election, committee)
    with time_machine.travel(moment, tick=False):
        [applied] = [a for a in gdpr.retention_run() if a.rule.key == "elections_participation"]
    election.refresh_from_db()
    assert (election.status == Election.Status.CLOSED) is purged
    assert Participation.objects.filter(election=election).exists() is not purged
    assert RollEntry.objects.filter(election=election).exists() is not purged
    assert applied.count == (10 if purged else 0)
    assert (_roll(voter) == []) is purged
    assert election.result.voters == 1  # the counts stay


def test_a_dry_run_of_the_retention_job_counts_and_changes_nothing():
    election, persons, accepted, committee = election_in_voting(voters=10, candidates=6)
    _to_complaints(election, committee)
    with time_machine.travel(datetime.datetime(2026, 4, 1, 9, 0, tzinfo=BRUSSELS), tick=False):
        [applied] = [a for a in gdpr.retention_run(dry_run=True) if a.rule.key == "elections_participation"]
    assert applied.count == RollEntry.objects.filter(election=election).count() > 0
    election.refresh_from_db()
    assert election.status == Election.Status.COMPLAINTS


def test_a_candidate_finds_the_candidacy_with_statement_and_photo_in_the_archive(client):
    election, persons, accepted, committee = election_in_voting(voters=10, candidates=6)
    candidacy = accepted[0]
    candidacy.statement = "Pour un quartier propre."
    candidacy.photo.save("me.png", SimpleUploadedFile("me.png", PNG), save=True)
    client.force_login(make_user(person=candidacy.person))
    from tests.portal.test_gdpr import unzip

    _raw, document, files = unzip(client.get("/en/my/data/download/"))
    [item] = document["sections"]["elections_candidacies"]["items"]
    assert item["statement"] == "Pour un quartier propre." and item["status"] == "accepted"
    assert files[item["photo"]] == PNG
    assert gdpr.unlabelled_keys(gdpr.personal_data(person=candidacy.person)) == set()
