"""Factories for election tests: a generated housing company and an election on a fixed calendar.

The calendar (Brussels time): candidacies 5 January - 5 February 2026, list published 20 February, voting on
10 March 2026 from 08:00 to 16:00, complaints until 25 March. Tests travel through it with time-machine.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.contrib.auth.models import Group, User

from elections import services
from elections.models import Candidacy, Election, PollingStation
from portal import roles
from portal.models import Person
from tests.factories import register

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

DURING_CANDIDACIES = datetime.datetime(2026, 1, 20, 10, 0, tzinfo=BRUSSELS)
AFTER_CANDIDACIES = datetime.datetime(2026, 2, 21, 10, 0, tzinfo=BRUSSELS)
DURING_VOTING = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=BRUSSELS)
AFTER_VOTING = datetime.datetime(2026, 3, 10, 17, 0, tzinfo=BRUSSELS)
AFTER_COMPLAINTS = datetime.datetime(2026, 3, 26, 9, 0, tzinfo=BRUSSELS)

FIRST = [
    "Fatima",
    "Jean",
    "Mohamed",
    "Marie",
    "Ahmed",
    "Nadia",
    "Luc",
    "Aïcha",
    "Pierre",
    "Sofia",
    "Els",
    "Jan",
]
LAST = [
    "El Amrani",
    "Dubois",
    "Peeters",
    "Janssens",
    "Benali",
    "Lambert",
    "Diallo",
    "Maes",
    "Yilmaz",
    "Claes",
]


def make_company(*, households: int = 10, members: int = 2, since: datetime.date = datetime.date(2015, 3, 1)):
    """A neighbourhood with one building and `households` households of `members` adults each."""
    hood = register.neighbourhood()
    building = register.building(hood)
    persons = []
    for h in range(households):
        household = register.household(building, start=since, language="")
        for m in range(members):
            persons.append(
                register.person(
                    household,
                    first_name=FIRST[(h + m) % len(FIRST)],
                    last_name=f"{LAST[h % len(LAST)]} {h}-{m}",
                    born=datetime.date(1950 + (h * 3 + m * 7) % 50, 1 + h % 12, 1 + m % 28),
                    role=Person.Role.LEASE_HOLDER if m == 0 else Person.Role.MEMBER,
                    since=since,
                    registered=since,
                )
            )
    return persons


def make_person(*, birth_date=datetime.date(1980, 5, 5), since=datetime.date(2015, 3, 1), **fields) -> Person:
    person = make_company(households=1, members=1, since=since)[0]
    person.birth_date = birth_date
    person.registered_on = fields.pop("registered_on", since)
    for key, value in fields.items():
        setattr(person, key, value)
    person.save()
    return person


def make_election(**fields) -> Election:
    defaults = {
        "council_name": "Conseil consultatif des locataires",
        "slug": f"cocolo-{register.number()}",
        "seats": 5,
        "min_candidates": 5,
        "quorum_percent": 5,
        "roll_reference_date": datetime.date(2025, 12, 1),
        "candidacies_open_on": datetime.date(2026, 1, 5),
        "candidacies_close_on": datetime.date(2026, 2, 5),
        "candidates_published_on": datetime.date(2026, 2, 20),
        "voting_opens_at": datetime.datetime(2026, 3, 10, 8, 0, tzinfo=BRUSSELS),
        "voting_closes_at": datetime.datetime(2026, 3, 10, 16, 0, tzinfo=BRUSSELS),
        "complaints_end_on": datetime.date(2026, 3, 25),
        "online_voting": True,
    }
    defaults.update(fields)
    election = services.election_create(actor=None, **defaults)
    PollingStation.objects.create(
        election=election,
        name="Salle communautaire",
        address="Rue Haute 120, 1000 Bruxelles",
        opens_at=defaults["voting_opens_at"],
        closes_at=defaults["voting_closes_at"],
    )
    return election


def make_user(*groups: str, username: str | None = None, person: Person | None = None) -> User:
    user = User.objects.create_user(
        username=username or f"user{register.number()}", password="a-long-password-1"
    )
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user


def committee_member() -> User:
    return make_user(roles.ELECTION_COMMITTEE)


def worker() -> User:
    return make_user(roles.COLLECTIVE_WORKERS)


def accept(election: Election, person: Person, actor=None, **fields) -> Candidacy:
    candidacy = services.candidacy_submit(
        election=election, person=person, channel=Candidacy.Channel.ONLINE, **fields
    )
    return services.candidacy_decide(
        candidacy=candidacy, accept=True, reason="", charter_signed=True, court_check_done=True, actor=actor
    )


#: The key shares of each test election's online ballot box (election pk -> share texts), as the key holders
#: would keep them on their sheets: the portal itself keeps none.
SHARES: dict[int, list[str]] = {}
KEY_HOLDERS = ["Marie Dubois", "Jan Peeters", "Fatima El Amrani", "Luc Maes", "Els Claes", "Nadia Benali"]


def hold_key_ceremony(election: Election, committee=None) -> list[str]:
    """The committee's key ceremony, each holder then typing their share back: the guard before voting is empty."""
    shares = [
        s.text
        for s in services.ballot_box_create(
            election=election, holders=KEY_HOLDERS[: election.key_holders], actor=committee
        )
    ]
    for share in shares:
        services.key_share_check(election=election, share=share, actor=committee)
    SHARES[election.pk] = shares
    return shares


def shares_of(election: Election) -> list[str]:
    return SHARES[election.pk]


def open_ballot_box(election: Election, committee=None, shares: list[str] | None = None):
    """k key holders open the online ballot box (the clock must be after the close, the election counting)."""
    chosen = shares if shares is not None else shares_of(election)[: election.key_threshold]
    return services.ballot_box_open(election=election, shares=chosen, actor=committee)


def election_in_voting(*, voters: int = 20, candidates: int = 6, refused: int = 0, **fields):
    """An election moved through every phase up to voting: (election, roll persons, accepted candidacies, the
    committee member). With online voting, the key ceremony is held (the shares: `shares_of(election)`).

    Leaves the clock at DURING_VOTING inside the caller's time-machine traveller.
    """
    import time_machine

    committee = committee_member()
    persons = make_company(households=voters // 2, members=2)
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election(**fields)
        services.election_advance(election=election, actor=committee)
        accepted = [accept(election, p, actor=committee) for p in persons[:candidates]]
        for p in persons[candidates : candidates + refused]:
            c = services.candidacy_submit(election=election, person=p, channel=Candidacy.Channel.PAPER)
            services.candidacy_decide(
                candidacy=c,
                accept=False,
                reason="No charter",
                charter_signed=False,
                court_check_done=True,
                actor=committee,
            )
        services.roll_generate(election=election, actor=committee)
    with time_machine.travel(AFTER_CANDIDACIES, tick=False):
        services.election_advance(election=election, actor=committee)
        if election.online_voting:
            hold_key_ceremony(election, committee)
    with time_machine.travel(DURING_VOTING, tick=False):
        services.election_advance(election=election, actor=committee)
    election.refresh_from_db()
    return election, persons, accepted, committee
