"""Register selectors used by meetings, notifications and elections: who lives where on a date."""

import datetime

import pytest

from portal import selectors
from portal.models import Person
from tests.factories.register import building, household, neighbourhood, person

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 1)


def refs(queryset):
    return sorted(obj.external_ref for obj in queryset)


@pytest.fixture
def register():
    """Two neighbourhoods; in the first, two buildings of one site, a former household and a leaver."""
    north, south = neighbourhood("north"), neighbourhood("south")
    b1 = building(north)
    b2 = building(site=b1.site)
    b3 = building(south)
    h1 = household(b1)
    h2 = household(b2)
    former = household(b1, start=datetime.date(2000, 1, 1), end=datetime.date(2019, 12, 31))
    h3 = household(b3)
    people = {
        "anna": person(h1, born=datetime.date(1950, 6, 1), email="anna@example.org"),
        "ben": person(h1, born=datetime.date(2009, 6, 2), role=Person.Role.MEMBER),
        "carl": person(h2, born=datetime.date(1980, 1, 1), since=datetime.date(2025, 1, 1)),
        "dora": person(
            h2, born=datetime.date(1970, 1, 1), left=datetime.date(2025, 5, 31), email="d@example.org"
        ),
        "emil": person(former, born=datetime.date(1940, 1, 1)),
        "fay": person(h3, born=datetime.date(1990, 1, 1), email="fay@example.org", email_opt_out=True),
    }
    return {
        "north": north,
        "south": south,
        "b1": b1,
        "b2": b2,
        "h1": h1,
        "h2": h2,
        "h3": h3,
        "former": former,
        **people,
    }


def test_tenants_of_a_neighbourhood_site_and_building_on_a_date(register):
    r = register
    assert refs(selectors.tenants(on=DAY, neighbourhood=r["north"])) == refs([r["anna"], r["ben"], r["carl"]])
    assert refs(selectors.tenants(on=DAY, site=r["b1"].site_id)) == refs([r["anna"], r["ben"], r["carl"]])
    assert refs(selectors.tenants(on=DAY, building=r["b1"])) == refs([r["anna"], r["ben"]])
    assert refs(selectors.tenants(on=DAY, neighbourhood=r["south"])) == refs([r["fay"]])


def test_tenants_on_an_earlier_date_include_who_lived_there_then(register):
    r = register
    then = datetime.date(2015, 1, 1)
    assert refs(selectors.tenants(on=then, building=r["b1"])) == refs([r["anna"], r["ben"], r["emil"]])
    assert refs(selectors.tenants(on=datetime.date(2025, 5, 31), building=r["b2"])) == refs(
        [r["carl"], r["dora"]]
    )


def test_persons_aged_sixteen_or_more_counts_a_birthday_on_the_day_itself(register):
    r = register
    assert r["ben"] not in selectors.persons_aged_at_least(16, on=datetime.date(2025, 6, 1))
    assert r["ben"] in selectors.persons_aged_at_least(16, on=datetime.date(2025, 6, 2))


def test_birth_date_limit_on_29_february():
    assert selectors.birth_date_limit(16, datetime.date(2024, 2, 29)) == datetime.date(2008, 2, 29)
    assert selectors.birth_date_limit(17, datetime.date(2024, 2, 29)) == datetime.date(2007, 2, 28)


def test_persons_registered_since_a_date_combine_with_age_and_scope(register):
    r = register
    cutoff = datetime.date(2024, 6, 1)
    assert refs(selectors.persons_registered_since(cutoff, on=DAY, neighbourhood=r["north"])) == refs(
        [r["anna"], r["ben"]]
    )
    roll = selectors.tenants(on=DAY, min_age=16, registered_on_or_before=cutoff, neighbourhood=r["north"])
    assert refs(roll) == refs([r["anna"]])
    holders = selectors.tenants(on=DAY, roles=[Person.Role.LEASE_HOLDER], building=r["b1"])
    assert refs(holders) == refs([r["anna"]])


def test_households_on_a_date_with_their_current_members(register, django_assert_num_queries):
    r = register
    with django_assert_num_queries(2):
        result = list(selectors.households(on=DAY, neighbourhood=r["north"], with_members=True))
        members = {h.external_ref: [p.external_ref for p in h.current_members] for h in result}
        addresses = [str(h.dwelling.building) for h in result]
    assert members == {
        r["h1"].external_ref: [r["anna"].external_ref, r["ben"].external_ref],
        r["h2"].external_ref: [r["carl"].external_ref],
    }
    assert len(addresses) == 2


def test_households_without_email_ignore_leavers_and_people_who_prefer_letters(register):
    r = register
    # h1: anna has an address; h2: only dora had one and she left; h3: fay prefers letters.
    assert refs(selectors.households_without_email(on=DAY)) == refs([r["h2"], r["h3"]])
    assert refs(selectors.households_without_email(on=datetime.date(2025, 5, 1), building=r["b2"])) == []


def test_only_one_scope_at_a_time(register):
    with pytest.raises(ValueError, match="Give at most one of neighbourhood, site, building."):
        selectors.tenants(neighbourhood=register["north"], building=register["b1"])


def test_listing_tenants_takes_one_query_whatever_their_number(register, django_assert_num_queries):
    hood = register["north"]
    for _ in range(20):
        person(household(register["b1"]))
    with django_assert_num_queries(1):
        rows = [
            (p.full_name, p.household.dwelling.building.site.neighbourhood.slug)
            for p in selectors.tenants(on=DAY, neighbourhood=hood)
        ]
    assert len(rows) == 23
