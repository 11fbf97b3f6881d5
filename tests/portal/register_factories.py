"""Small factory functions for the register (neighbourhood > site > building > dwelling > household > person)."""

from __future__ import annotations

import datetime
import itertools

from portal.models import Building, Dwelling, Household, Neighbourhood, Person, Site

_seq = itertools.count(1)


def neighbourhood(slug: str | None = None) -> Neighbourhood:
    n = next(_seq)
    slug = slug or f"hood-{n}"
    return Neighbourhood.objects.create(slug=slug, name_fr=f"Quartier {slug}", name_nl=f"Wijk {slug}")


def building(hood: Neighbourhood | None = None, site: Site | None = None) -> Building:
    n = next(_seq)
    if site is None:
        site = Site.objects.create(
            neighbourhood=hood or neighbourhood(), name=f"Site {n}", external_ref=f"S{n}"
        )
    return Building.objects.create(
        site=site,
        external_ref=f"B{n}",
        street="Rue Haute",
        number=str(n),
        postcode="1000",
        municipality="Bruxelles",
    )


def household(
    in_building: Building | None = None,
    *,
    start: datetime.date = datetime.date(2010, 1, 1),
    end: datetime.date | None = None,
    language: str = "fr",
) -> Household:
    n = next(_seq)
    dwelling = Dwelling.objects.create(building=in_building or building(), external_ref=f"D{n}", unit=str(n))
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
    **extra,
) -> Person:
    n = next(_seq)
    in_household = in_household or household()
    since = since or in_household.start_date
    return Person.objects.create(
        household=in_household,
        external_ref=f"P{n}",
        first_name=extra.pop("first_name", f"Prénom{n}"),
        last_name=extra.pop("last_name", "Dubois"),
        birth_date=born,
        role=role,
        registered_on=registered or since,
        start_date=since,
        end_date=left,
        email=email,
        **extra,
    )
