"""Register data for the notification tests (on tests/factories/register.py), also in bulk (1,000 households in
well under a second), and users per role."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.contrib.auth.models import User as AuthUser

from portal import roles
from portal.models import Building, Household, Neighbourhood, Person, Site
from tests.factories import register

START = datetime.date(2015, 1, 1)


def neighbourhood(name: str = "Marolles") -> Neighbourhood:
    n = register.number()
    return register.neighbourhood(f"hood-{n}", name_fr=f"{name} {n}", name_nl=f"{name} NL {n}")


def site(hood: Neighbourhood | None = None) -> Site:
    return register.site(hood or neighbourhood())


def building(site_: Site | None = None, *, street: str = "Rue Haute", number: str | None = None) -> Building:
    return register.building(site=site_ or site(), street=street, house_number=number)


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
    h = register.household(building_ or building(), language=language, unit=unit, start=start, end=end)
    for index, data in enumerate(members if members is not None else [{}]):
        person(h, role=Person.Role.LEASE_HOLDER if index == 0 else Person.Role.MEMBER, **data)
    return h


def person(h: Household, **fields) -> Person:
    values = {
        "born": fields.pop("birth_date", datetime.date(1960, 5, 1)),
        "registered": fields.pop("registered_on", START),
        "since": fields.pop("start_date", h.start_date),
    }
    return register.person(h, **values, **fields)


def bulk_neighbourhood(count: int, *, email_every: int = 0, languages=("fr", "nl", "")) -> Neighbourhood:
    """`count` households (one adult each) in buildings of 20 dwellings; every `email_every`-th has an e-mail."""
    hood = neighbourhood("Quartier")
    register.bulk_households(hood, count, email_every=email_every, languages=languages, start=START)
    return hood


def user_with_role(role: str | None, *, username: str | None = None, admin_access: bool = False) -> AuthUser:
    from django.contrib.auth.models import Permission

    user = AuthUser.objects.create_user(
        username=username or f"user{register.number()}", password="x-password-123"
    )
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
