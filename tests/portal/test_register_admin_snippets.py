"""Collective workers manage the register in the Wagtail admin: list, filter, search, edit with history."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from portal import roles
from portal.models import Neighbourhood, Person
from tests.factories.register import building, household, neighbourhood, person

pytestmark = pytest.mark.django_db

PERSONS = "/admin/register/persons/"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def worker(client):
    user = User.objects.create_user("worker", "worker@example.org", "a-long-password-1")
    user.groups.add(Group.objects.get(name=roles.COLLECTIVE_WORKERS))
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})  # admin in English
    client.force_login(user)
    return user


@pytest.fixture
def register():
    north, south = neighbourhood("north"), neighbourhood("south")
    haute = building(north)
    other = building(south)
    return {
        "north": north,
        "south": south,
        "fatima": person(household(haute), first_name="Fatima", last_name="El Amrani"),
        "jean": person(household(other), first_name="Jean", last_name="Dubois"),
        "luc": person(
            household(haute, end=datetime.date(2020, 1, 1)),
            first_name="Luc",
            last_name="Maes",
            left=datetime.date(2020, 1, 1),
        ),
        "haute": haute,
    }


def listed(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_worker_lists_persons_with_their_dwelling_and_status(client, worker, register):
    html = listed(client.get(PERSONS))
    assert "Fatima El Amrani" in html
    assert "Jean Dubois" in html
    assert "Former" in html and "Current" in html


def test_persons_are_filtered_by_neighbourhood_and_by_current_or_former(client, worker, register):
    html = listed(client.get(PERSONS, {"neighbourhood": register["south"].pk}))
    assert "Jean Dubois" in html and "Fatima" not in html
    html = listed(client.get(PERSONS, {"status": "former"}))
    assert "Luc Maes" in html and "Fatima" not in html and "Jean Dubois" not in html
    html = listed(client.get(PERSONS, {"status": "current", "site": register["haute"].site_id}))
    assert "Fatima" in html and "Luc Maes" not in html


def test_persons_are_found_by_name_reference_and_address_words(client, worker, register):
    assert "Fatima" in listed(client.get(PERSONS, {"q": "fatima haute"}))
    assert "Fatima" not in listed(client.get(PERSONS, {"q": "fatima peterbos"}))
    assert "Jean Dubois" in listed(client.get(PERSONS, {"q": register["jean"].external_ref}))


def test_person_list_queries_do_not_grow_with_the_number_of_persons(client, worker, register):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            listed(client.get(PERSONS))
        return len(queries)

    small = count_queries()
    for _ in range(30):
        person(household(register["haute"]))
    assert count_queries() <= small


def test_editing_a_person_is_recorded_in_its_history(client, worker, register):
    fatima = register["fatima"]
    edit_url = f"{PERSONS}edit/{fatima.pk}/"
    form = listed(client.get(edit_url))
    assert 'name="first_name"' in form
    data = {
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "birth_date": "1958-04-12",
        "role": "lease_holder",
        "external_ref": fatima.external_ref,
        "household": fatima.household_id,
        "registered_on": "2010-01-01",
        "start_date": "2010-01-01",
        "end_date": "",
        "language": "nl",
        "email": "fatima@example.org",
        "phone": "",
        "postal_address": "",
    }
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    fatima.refresh_from_db()
    assert fatima.email == "fatima@example.org"
    entry = ModelLogEntry.objects.get(object_id=str(fatima.pk), action="wagtail.edit")
    assert entry.user == worker
    assert "Fatima" in listed(client.get(f"{PERSONS}history/{fatima.pk}/"))


def test_worker_creates_a_neighbourhood_with_its_french_and_dutch_names(client, worker):
    response = client.post(
        "/admin/register/neighbourhoods/add/",
        {"name_fr": "Les Goujons", "name_nl": "De Goujons", "slug": "goujons", "description": ""},
    )
    assert response.status_code == 302
    hood = Neighbourhood.objects.get(slug="goujons")
    assert hood.name_nl == "De Goujons"
    assert ModelLogEntry.objects.filter(object_id=str(hood.pk), action="wagtail.create").exists()


def test_worker_cannot_delete_a_person_so_history_stays(client, worker, register):
    fatima = register["fatima"]
    client.post(f"{PERSONS}delete/{fatima.pk}/")
    assert Person.objects.filter(pk=fatima.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/register/households/",
        "/admin/register/dwellings/",
        "/admin/register/buildings/",
        "/admin/register/sites/",
        "/admin/register/neighbourhoods/",
        "/admin/register/departments/",
        "/admin/register/organisations/",
    ],
)
def test_every_register_list_opens_for_a_worker(client, worker, register, url):
    listed(client.get(url))
    listed(client.get(url, {"q": "haute"}))


def test_households_are_filtered_by_status(client, worker, register):
    html = listed(client.get("/admin/register/households/", {"status": "former"}))
    assert register["luc"].household.external_ref in html
    assert register["fatima"].household.external_ref not in html


def test_a_tenant_cannot_open_the_register(client, register):
    tenant = User.objects.create_user("tenant", "t@example.org", "a-long-password-1")
    client.force_login(tenant)
    response = client.get(PERSONS)
    assert response.status_code == 403
    assert "Fatima" not in response.content.decode()
