"""No double voting across channels under concurrent requests, on real PostgreSQL transactions.

Each thread uses its own database connection (closed at the end of the thread); the clock is frozen for every
thread by time-machine.
"""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from elections import services
from elections.models import Ballot, Participation

from .factories import DURING_VOTING, election_in_voting

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _attempt(election, station, entry_id, channel, choice):
    translation.activate("en")  # each thread has its own active language
    try:
        if channel == "online":
            services.ballot_cast(election=election, roll_entry_id=entry_id, choices=[choice])
        else:
            services.voter_check_in(election=election, station=station, roll_entry_id=entry_id)
        return "ok"
    except ValidationError as error:
        return "already" if "already voted" in str(error) else f"other: {error}"
    finally:
        connection.close()


def test_200_concurrent_votes_with_20_percent_duplicates_count_every_valid_ballot_once():
    election, persons, accepted, committee = election_in_voting(voters=160)
    station = election.stations.get()
    entries = list(election.roll.values_list("pk", flat=True))
    assert len(entries) == 160
    rng = random.Random(6)
    attempts = [(pk, rng.choice(["online", "station"])) for pk in entries]
    duplicates = [(pk, rng.choice(["online", "station"])) for pk in rng.sample(entries, 40)]
    attempts += duplicates
    rng.shuffle(attempts)
    assert len(attempts) == 200
    with time_machine.travel(DURING_VOTING, tick=False), ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(
            pool.map(
                lambda a: _attempt(election, station, a[0], a[1], accepted[a[0] % len(accepted)].pk),
                attempts,
            )
        )
    assert outcomes.count("ok") == 160
    assert outcomes.count("already") == 40
    participations = Participation.objects.filter(election=election)
    assert participations.count() == 160
    online = participations.filter(channel="online").count()
    assert Ballot.objects.filter(election=election).count() == online
    assert Ballot.objects.filter(election=election).values("receipt").distinct().count() == online
    assert participations.filter(channel="station").count() + online == 160


def test_online_vote_and_station_check_in_arriving_in_the_same_instant_let_only_one_through():
    election, persons, accepted, committee = election_in_voting(voters=20)
    station = election.stations.get()
    entries = list(election.roll.values_list("pk", flat=True))[:10]
    results = []
    with time_machine.travel(DURING_VOTING, tick=False):
        for entry_id in entries:
            barrier = threading.Barrier(2)
            pair: list[str] = []

            def go(channel, entry_id=entry_id, barrier=barrier, pair=pair):
                barrier.wait()
                pair.append(_attempt(election, station, entry_id, channel, accepted[0].pk))

            threads = [threading.Thread(target=go, args=(c,)) for c in ("online", "station")]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            results.append(sorted(pair))
    assert results == [["already", "ok"]] * 10
    assert Participation.objects.filter(election=election).count() == 10
    assert (
        Ballot.objects.filter(election=election).count()
        == Participation.objects.filter(election=election, channel="online").count()
    )
