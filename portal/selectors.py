"""Reads of the tenant register shared by every app: who lives where on a date, and who may be reached how.

Every function returns a QuerySet (so callers can add filters, count, paginate or iterate) with the related
rows a list needs already joined: iterating a result costs one query whatever its size.

Scopes: pass at most one of `neighbourhood`, `site`, `building` (an instance or a primary key); none means the
whole company. Dates: `on` defaults to today. A person counts on date D when their household's lease and their
own stay both cover D (end dates are the last day, inclusive).

Examples:
    tenants(on=election_day, min_age=16, living_since_on_or_before=roll_date)       # electoral roll
    tenants(neighbourhood=hood, registered_on_or_before=election_day - 12 months)   # eligible candidates
    households(neighbourhood=hood, with_members=True)                               # letters, one per household
    households_without_email(building=building)                                     # who gets paper
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Building, Household, Neighbourhood, Person, Site

Scope = Neighbourhood | Site | Building | int | None


def _pk(value: Scope) -> int | None:
    return value.pk if hasattr(value, "pk") else value


def _scope_filter(
    prefix: str, *, neighbourhood: Scope = None, site: Scope = None, building: Scope = None
) -> Q:
    given = [value for value in (neighbourhood, site, building) if value is not None]
    if len(given) > 1:
        raise ValueError("Give at most one of neighbourhood, site, building.")
    if neighbourhood is not None:
        return Q(**{f"{prefix}dwelling__building__site__neighbourhood_id": _pk(neighbourhood)})
    if site is not None:
        return Q(**{f"{prefix}dwelling__building__site_id": _pk(site)})
    if building is not None:
        return Q(**{f"{prefix}dwelling__building_id": _pk(building)})
    return Q()


def birth_date_limit(min_age: int, on: datetime.date) -> datetime.date:
    """The latest date of birth of someone aged `min_age` or more on `on` (born 29 February: 1 March)."""
    try:
        return on.replace(year=on.year - min_age)
    except ValueError:  # 29 February in a year that is not a leap year
        return on.replace(year=on.year - min_age, month=2, day=28)


def tenants(
    *,
    on: datetime.date | None = None,
    neighbourhood: Scope = None,
    site: Scope = None,
    building: Scope = None,
    min_age: int | None = None,
    registered_on_or_before: datetime.date | None = None,
    living_since_on_or_before: datetime.date | None = None,
    roles: list[str] | None = None,
) -> QuerySet[Person]:
    """Persons living in a dwelling of the company on `on`, in the scope, with the optional conditions:

    - `min_age`: aged `min_age` years or more on `on`;
    - `registered_on_or_before`: registered at the company on or before that date (e.g. 12 months before
      an election);
    - `living_since_on_or_before`: living in the dwelling since that date or earlier (a roll's reference date);
    - `roles`: only these `Person.Role` values (lease holders only, for instance).
    """
    on = on or timezone.localdate()
    queryset = Person.objects.current(on).filter(
        _scope_filter("household__", neighbourhood=neighbourhood, site=site, building=building)
    )
    if min_age is not None:
        queryset = queryset.filter(birth_date__lte=birth_date_limit(min_age, on))
    if registered_on_or_before is not None:
        queryset = queryset.filter(registered_on__lte=registered_on_or_before)
    if living_since_on_or_before is not None:
        queryset = queryset.filter(start_date__lte=living_since_on_or_before)
    if roles:
        queryset = queryset.filter(role__in=roles)
    return queryset.select_related("household__dwelling__building__site__neighbourhood")


def persons_aged_at_least(
    min_age: int, *, on: datetime.date | None = None, **scope: Scope
) -> QuerySet[Person]:
    """Tenants aged `min_age` or more on `on` (voters of an election, for instance)."""
    return tenants(on=on, min_age=min_age, **scope)


def persons_registered_since(
    date: datetime.date, *, on: datetime.date | None = None, **scope: Scope
) -> QuerySet[Person]:
    """Tenants on `on` registered at the company since `date` or earlier (candidates: 12 months or more)."""
    return tenants(on=on, registered_on_or_before=date, **scope)


def has_usable_email() -> Q:
    """A person who can be written to by e-mail: an address is known and they did not ask for letters."""
    return ~Q(email="") & Q(email_opt_out=False)


def households(
    *,
    on: datetime.date | None = None,
    neighbourhood: Scope = None,
    site: Scope = None,
    building: Scope = None,
    with_members: bool = False,
) -> QuerySet[Household]:
    """Households occupying a dwelling of the scope on `on`. With `with_members`, `household.current_members`
    holds the persons living there on that date (lease holders first), fetched in one more query."""
    on = on or timezone.localdate()
    queryset = (
        Household.objects.current(on)
        .filter(_scope_filter("", neighbourhood=neighbourhood, site=site, building=building))
        .select_related("dwelling__building__site__neighbourhood")
        .order_by("dwelling__building__street", "dwelling__building__number", "dwelling__unit")
    )
    if with_members:
        members = Person.objects.filter(
            Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on)
        ).order_by("role", "last_name", "first_name")
        queryset = queryset.prefetch_related(Prefetch("members", queryset=members, to_attr="current_members"))
    return queryset


def households_without_email(
    *,
    on: datetime.date | None = None,
    neighbourhood: Scope = None,
    site: Scope = None,
    building: Scope = None,
    with_members: bool = False,
) -> QuerySet[Household]:
    """Households of the scope on `on` where no member living there has a usable e-mail: they get paper."""
    on = on or timezone.localdate()
    reachable = Person.objects.filter(
        Q(household=OuterRef("pk")),
        Q(start_date__lte=on),
        Q(end_date__isnull=True) | Q(end_date__gte=on),
        has_usable_email(),
    )
    return households(
        on=on, neighbourhood=neighbourhood, site=site, building=building, with_members=with_members
    ).filter(~Exists(reachable))
