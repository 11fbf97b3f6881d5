"""Register data for the notification tests, created in bulk (1,000 households in well under a second)."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth.models import Group
from django.contrib.auth.models import User as AuthUser

from portal import roles
from portal.models import Building, Dwelling, Household, Neighbourhood, Person, Site

_seq = itertools.count(1)

START = datetime.date(2015, 1, 1)


def neighbourhood(name: str = "Marolles") -> Neighbourhood:
    n = next(_seq)
    return Neighbourhood.objects.create(name_fr=f"{name} {n}", name_nl=f"{name} NL {n}", slug=f"hood-{n}")


def site(hood: Neighbourhood | None = None) -> Site:
    n = next(_seq)
    return Site.objects.create(neighbourhood=hood or neighbourhood(), name=f"Site {n}", external_ref=f"S{n}")


def building(site_: Site | None = None, *, street: str = "Rue Haute", number: str | None = None) -> Building:
    n = next(_seq)
    return Building.objects.create(
        site=site_ or site(),
        external_ref=f"B{n}",
        street=street,
        number=number or str(n),
        postcode="1000",
        municipality="Bruxelles",
    )


def household(
    building_: Building | None = None,
    *,
    language: str = "fr",
    members: list[dict] | None = None,
    unit: str | None = None,
    start: datetime.date = START,
    end: datetime.date | None = None,
) -> Household:
    """A household in a new dwelling, with members (default: one adult lease holder without e-mail)."""
    n = next(_seq)
    dwelling = Dwelling.objects.create(
        building=building_ or building(), external_ref=f"D{n}", unit=unit or f"{n}"
    )
    h = Household.objects.create(
        dwelling=dwelling, external_ref=f"H{n}", start_date=start, end_date=end, language=language
    )
    for index, data in enumerate(members if members is not None else [{}]):
        person(h, role=Person.Role.LEASE_HOLDER if index == 0 else Person.Role.MEMBER, **data)
    return h


def person(h: Household, **fields) -> Person:
    n = next(_seq)
    values = {
        "first_name": f"Prénom{n}",
        "last_name": f"Nom{n}",
        "birth_date": datetime.date(1960, 5, 1),
        "registered_on": START,
        "start_date": h.start_date,
        "external_ref": f"P{n}",
    }
    values.update(fields)
    return Person.objects.create(household=h, **values)


def bulk_neighbourhood(count: int, *, email_every: int = 0, languages=("fr", "nl", "")) -> Neighbourhood:
    """`count` households (one adult each) in buildings of 20 dwellings; every `email_every`-th has an e-mail."""
    hood = neighbourhood("Quartier")
    site_ = site(hood)
    base = next(_seq) * 100000
    buildings = Building.objects.bulk_create(
        Building(
            site=site_,
            external_ref=f"BB{base + i}",
            street="Rue des Tests",
            number=str(i + 1),
            postcode="1000",
            municipality="Bruxelles",
        )
        for i in range((count + 19) // 20)
    )
    dwellings = Dwelling.objects.bulk_create(
        Dwelling(building=buildings[i // 20], external_ref=f"DD{base + i}", unit=f"{i % 20 + 1}")
        for i in range(count)
    )
    households = Household.objects.bulk_create(
        Household(
            dwelling=dwellings[i],
            external_ref=f"HH{base + i}",
            start_date=START,
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
            registered_on=START,
            start_date=START,
            email=f"tenant{base + i}@example.org" if email_every and i % email_every == 0 else "",
        )
        for i in range(count)
    )
    return hood


def user_with_role(role: str | None, *, username: str | None = None, admin_access: bool = False) -> AuthUser:
    from django.contrib.auth.models import Permission

    user = AuthUser.objects.create_user(username=username or f"user{next(_seq)}", password="x-password-123")
    if role:
        # get_or_create: a transactional (browser) test flushes the groups created by migration 0003_roles;
        # the admin access granted by migration 0006 is restored here the same way.
        group, _ = Group.objects.get_or_create(name=role)
        if role in (roles.COLLECTIVE_WORKERS, roles.ADMINISTRATORS):
            group.permissions.add(Permission.objects.get(codename="access_admin"))
        user.groups.add(group)
    if admin_access:
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


ROLES = roles
