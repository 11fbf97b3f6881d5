"""Journeys of the election in a real browser: a tenant votes online; the committee checks a voter in."""

import io

import pytest
from captcha.models import CaptchaStore
from django.conf import settings
from django.test import Client

from elections import codes, demo
from elections.models import Ballot, Participation
from portal import demo as register_demo
from tests.browser.axe import assert_accessible


@pytest.fixture
def demo_election(site_url):
    register_demo.load(io.StringIO())
    demo.load(io.StringIO())
    from elections.models import Election

    return Election.objects.get(slug=demo.SLUG)


def test_tenant_votes_online_with_the_code_of_the_letter_and_keeps_a_receipt(page, site_url, demo_election):
    entry = demo_election.roll.select_related("person").order_by("pk").first()
    code = codes.format_code(codes.code_from_seed(entry.code_seed))

    page.goto(f"{site_url}/fr/elections/{demo.SLUG}/")
    assert "Conseil consultatif" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Voter en ligne").click()

    assert_accessible(page)
    page.get_by_label("Code personnel de vote").fill(code)
    page.get_by_label("Votre date de naissance").fill(entry.person.birth_date.isoformat())
    key = page.locator("input[name=captcha_0]").input_value()
    page.get_by_label("Tapez les lettres de l'image").fill(CaptchaStore.objects.get(hashkey=key).response)
    page.get_by_role("button", name="Continuer").click()

    assert_accessible(page)
    candidates = page.locator("input[name=candidates]")
    candidates.nth(0).check()
    candidates.nth(2).check()
    page.get_by_role("button", name="Vérifier mon vote").click()

    assert_accessible(page)
    assert page.locator("main li").count() == 2
    page.get_by_role("button", name="Confirmer mon vote").click()

    assert_accessible(page)
    receipt = page.locator(".receipt").inner_text()
    assert Ballot.objects.get().receipt == receipt
    assert Participation.objects.get().roll_entry_id == entry.pk


def test_committee_member_checks_a_voter_in_on_the_tablet_page(page, site_url, demo_election):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("committee", "committee@example.org", "a-long-password-1")
    user.groups.add(Group.objects.get_or_create(name="Election committee")[0])
    entry = demo_election.roll.select_related("person").order_by("pk").last()
    station = demo_election.stations.order_by("opens_at").first()

    page.set_viewport_size({"width": 800, "height": 1100})  # a tablet
    client = Client()
    client.force_login(user)
    host = site_url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    page.goto(f"{site_url}/en/elections/{demo.SLUG}/manage/stations/{station.pk}/")
    assert_accessible(page)
    page.get_by_label("Name, street or voting code").fill(entry.person.last_name)
    page.get_by_role("button", name="Find").click()
    row = page.locator("tr", has_text=entry.person.full_name).first
    row.get_by_role("button", name="Check in").click()
    assert "is checked in" in page.locator(".messages").inner_text()
    assert_accessible(page)
    assert Participation.objects.get(roll_entry=entry).channel == "station"
