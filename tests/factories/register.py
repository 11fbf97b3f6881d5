"""The tenant register for tests: neighbourhood > site > building > dwelling > household > person.

The one place the suite creates register rows: every app's factories (tests/<app>/factories.py,
tests/portal/accounts_factories.py, tests/portal/notifications_factories.py) call these functions with their own
defaults. One counter numbers every row, so references (`external_ref`, slugs) never collide, whichever
factories a test mixes.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from portal.models import Building, Dwelling, Household, Neighbourhood, Person, Site

START = datetime.date(2010, 1, 1)
_seq = itertools.count(1)


def number() -> int:
    """The next number of the suite-wide sequence (for references and names a factory makes up)."""
    return next(_seq)


def neighbourhood(
    slug: str | None = None, *, name_fr: str | None = None, name_nl: str | None = None, reuse: bool = False
) -> Neighbourhood:
    """A neighbourhood; `reuse=True` returns the existing one with this slug instead of creating it."""
    n = number()
    slug = slug or f"hood-{n}"
    names = {"name_fr": name_fr or f"Quartier {n}", "name_nl": name_nl or name_fr or f"Wijk {n}"}
    if reuse:
        return Neighbourhood.objects.get_or_create(slug=slug, defaults=names)[0]
    return Neighbourhood.objects.create(slug=slug, **names)


def site(hood: Neighbourhood | None = None, *, reuse: bool = False) -> Site:
    """A site of the neighbourhood (a new neighbourhood if none); `reuse=True` takes its first site if any."""
    return _site(hood, reuse)


def _site(hood: Neighbourhood | None, reuse: bool) -> Site:
    hood = hood or neighbourhood()
    if reuse:
        existing = Site.objects.filter(neighbourhood=hood).first()
        if existing is not None:
            return existing
    n = number()
    return Site.objects.create(neighbourhood=hood, name=f"Site {n}", external_ref=f"S{n}")


def building(
    hood: Neighbourhood | None = None,
    *,
    site: Site | None = None,
    street: str = "Rue Haute",
    house_number: str | None = None,
    postcode: str = "1000",
    municipality: str = "Bruxelles",
    reuse_site: bool = False,
) -> Building:
    """A building on the given site, or on a (new, or with `reuse_site` the first) site of the neighbourhood."""
    n = number()
    return Building.objects.create(
        site=site or _site(hood, reuse_site),
        external_ref=f"B{n}",
        street=street,
        number=house_number or str(n),
        postcode=postcode,
        municipality=municipality,
    )


def household(
    in_building: Building | None = None,
    *,
    start: datetime.date = START,
    end: datetime.date | None = None,
    language: str = "fr",
    unit: str | None = None,
) -> Household:
    """A household in a new dwelling of the building (a new building if none)."""
    n = number()
    dwelling = Dwelling.objects.create(
        building=in_building or building(), external_ref=f"D{n}", unit=unit or str(n)
    )
    return Household.objects.create(
        dwelling=dwelling, external_ref=f"H{n}", start_date=start, end_date=end, language=language
    )


def person(
    in_household: Household | None = None,
    *,
    born: datetime.date = datetime.date(1960, 1, 1),
    since: datetime.date | None = None,
    registered: datetime.date | None = None,
    left: datetime.date | None = None,
    email: str = "",
    role: str = Person.Role.LEASE_HOLDER,
    **fields: Any,
) -> Person:
    """A member of the household (a new one if none), living there since the household's start by default."""
    n = number()
    in_household = in_household or household()
    since = since or in_household.start_date
    values = {"first_name": f"Prénom{n}", "last_name": f"Nom{n}", "external_ref": f"P{n}"}
    values.update(fields)
    return Person.objects.create(
        household=in_household,
        birth_date=born,
        role=role,
        registered_on=registered or since,
        start_date=since,
        end_date=left,
        email=email,
        **values,
    )


def tenant(
    hood: Neighbourhood | None = None,
    *,
    start: datetime.date = START,
    end: datetime.date | None = None,
    language: str = "fr",
    unit: str | None = None,
    **person_fields: Any,
) -> Person:
    """A lease holder alone in a new dwelling of a new building of the neighbourhood."""
    home = household(building(hood), start=start, end=end, language=language, unit=unit)
    return person(home, left=person_fields.pop("left", end), **person_fields)


def bulk_households(
    hood: Neighbourhood,
    count: int,
    *,
    per_building: int = 20,
    email_every: int = 0,
    languages: tuple[str, ...] = ("fr", "nl", ""),
    start: datetime.date = START,
) -> None:
    """`count` households of one lease holder each, in buildings of `per_building` dwellings, written with
    `bulk_create` (a thousand in well under a second); every `email_every`-th person has an e-mail."""
    the_site = site(hood)
    base = number() * 100000
    buildings = Building.objects.bulk_create(
        Building(
            site=the_site,
            external_ref=f"BB{base + i}",
            street="Rue des Tests",
            number=str(i + 1),
            postcode="1000",
            municipality="Bruxelles",
        )
        for i in range((count + per_building - 1) // per_building)
    )
    dwellings = Dwelling.objects.bulk_create(
        Dwelling(
            building=buildings[i // per_building],
            external_ref=f"DD{base + i}",
            unit=f"{i % per_building + 1}",
        )
        for i in range(count)
    )
    households = Household.objects.bulk_create(
        Household(
            dwelling=dwellings[i],
            external_ref=f"HH{base + i}",
            start_date=start,
            language=languages[i % len(languages)],
        )
        for i in range(count)
    )
    Person.objects.bulk_create(
        Person(
            household=households[i],
            external_ref=f"PP{base + i}",
            first_name="Locataire",
            last_name=f"N{i:05d}",
            birth_date=datetime.date(1962, 1, 1),
            role=Person.Role.LEASE_HOLDER,
            registered_on=start,
            start_date=start,
            email=f"tenant{base + i}@example.org" if email_every and i % email_every == 0 else "",
        )
        for i in range(count)
    )
