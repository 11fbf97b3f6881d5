"""Reproducible benchmark data at the scale of a large company: 20,000 dwellings, 50,000 persons.

Seeded random generator: the same data on every machine. Written with bulk_create in batches.
"""

from __future__ import annotations

import datetime
import random
import time

from django.db import transaction

from bench import content
from portal.models import Building, Dwelling, Household, Neighbourhood, Person, Site

N_NEIGHBOURHOODS = 20
SITES_PER_NEIGHBOURHOOD = 5
DWELLINGS = 20_000
PERSONS = 50_000
FIRST = ["Fatima", "Jean", "Mohamed", "Marie", "Ahmed", "Nadia", "Luc", "Aïcha", "Pierre", "Sofia", "Youssef"]
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


def build(rng: random.Random) -> None:
    """The whole dataset, each part built once and reused by later runs.

    Each content builder gets its own generator, derived from the seed and its name: what it builds does not depend
    on which parts were already there (the register consumes `rng` only when it is built).
    """
    fork = random.Random()  # noqa: S311 - reproducible data
    fork.setstate(rng.getstate())
    base = fork.getrandbits(64)
    if not register_exists():
        print("Building the register: 20,000 dwellings, 50,000 persons ...", flush=True)
        build_register(rng)
    for builder in BUILDERS:
        started = time.perf_counter()
        builder(random.Random(f"{base}-{builder.__name__}"))  # noqa: S311 - reproducible data
        elapsed = time.perf_counter() - started
        if elapsed > 1:
            print(f"  {builder.__name__}: {elapsed:.1f} s", flush=True)


def _demo_content(rng: random.Random) -> None:
    """Every app's demo content (news, meetings with minutes, calls, an election) on top of the large register."""
    import io

    from django.core.management import call_command

    from home.models import NewsPage

    if not NewsPage.objects.exists():
        call_command("load_demo", stdout=io.StringIO())


def _mailing_neighbourhood(rng: random.Random) -> None:
    from bench.mailing import build_neighbourhood

    build_neighbourhood(rng)


# Content builders run after the register, in order; each skips what is already there.
BUILDERS = [
    _demo_content,
    content.build_news,
    content.build_meetings,
    content.build_calls,
    content.build_election,
    _mailing_neighbourhood,
]


def register_exists() -> bool:
    return Person.objects.filter(external_ref__startswith="BP-").count() >= PERSONS


@transaction.atomic
def build_register(rng: random.Random) -> None:
    hoods = [
        Neighbourhood(name_fr=f"Quartier {i}", name_nl=f"Wijk {i}", slug=f"bench-{i}")
        for i in range(N_NEIGHBOURHOODS)
    ]
    Neighbourhood.objects.bulk_create(hoods)
    sites = [
        Site(neighbourhood=h, name=f"Site {h.slug}-{j}", external_ref=f"BS-{h.slug}-{j}")
        for h in hoods
        for j in range(SITES_PER_NEIGHBOURHOOD)
    ]
    Site.objects.bulk_create(sites)
    buildings = []
    per_building = 25
    for index in range(DWELLINGS // per_building):
        site = sites[index % len(sites)]
        buildings.append(
            Building(
                site=site,
                external_ref=f"BB-{index}",
                street=f"Rue du Banc {index // 10}",
                number=str(index % 10 + 1),
                postcode="1000",
                municipality="Bruxelles",
            )
        )
    Building.objects.bulk_create(buildings, batch_size=2000)
    dwellings = [
        Dwelling(building=buildings[i // per_building], external_ref=f"BD-{i}", unit=str(i % per_building))
        for i in range(DWELLINGS)
    ]
    Dwelling.objects.bulk_create(dwellings, batch_size=5000)
    households = [
        Household(
            dwelling=d,
            external_ref=f"BH-{i}",
            start_date=datetime.date(2000 + rng.randrange(24), 1, 1),
            language=rng.choice(["fr", "fr", "nl", ""]),
        )
        for i, d in enumerate(dwellings)
    ]
    Household.objects.bulk_create(households, batch_size=5000)
    persons = []
    for i in range(PERSONS):
        household = households[i % DWELLINGS]
        persons.append(
            Person(
                household=household,
                external_ref=f"BP-{i}",
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                birth_date=datetime.date(
                    1940 + rng.randrange(66), 1 + rng.randrange(12), 1 + rng.randrange(28)
                ),
                role=Person.Role.LEASE_HOLDER if i < DWELLINGS else Person.Role.MEMBER,
                registered_on=household.start_date,
                start_date=household.start_date,
                language=household.language,
                email=f"p{i}@example.org" if rng.random() < 0.4 else "",
            )
        )
    Person.objects.bulk_create(persons, batch_size=5000)
