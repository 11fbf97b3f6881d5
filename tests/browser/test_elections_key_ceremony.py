"""The committee's key ceremony (French) and the opening of the online ballot box at the close (Dutch), in a real
browser, axe on every page."""

import io
import re

import pytest
from django.conf import settings
from django.test import Client

from elections import demo, services
from elections.models import Candidacy, CountedBallot, Election
from portal import demo as register_demo
from tests.browser.axe import assert_accessible


@pytest.fixture
def committee_page(page, site_url):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("committee", "committee@example.org", "a-long-password-1")
    user.groups.add(Group.objects.get_or_create(name="Election committee")[0])
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
    register_demo.load(io.StringIO())
    return page


def test_committee_holds_the_key_ceremony_each_holder_sees_their_share_once_then_opens_the_vote(
    committee_page, site_url
):
    page = committee_page
    election = demo.rebuild_for_ceremony()
    page.goto(f"{site_url}/fr/elections/{demo.SLUG}/manage/")
    assert_accessible(page)
    page.get_by_role("link", name="Cérémonie des clés de l'urne électronique").click()

    assert_accessible(page)
    names = ["Anne Janssens", "Karim Benali", "Sofie Peeters"]
    for n, name in enumerate(names, start=1):
        page.get_by_label(f"Détenteur de clé {n} (nom)").fill(name)
    page.get_by_label(re.compile("Si plus de 1 des 3 détenteurs de clé perd sa part")).check()
    page.get_by_role("button", name="Créer la clé et montrer les parts").click()

    assert_accessible(page)
    page.evaluate("window.print = () => { window.printedSheets = (window.printedSheets || 0) + 1; }")
    shares = []
    for n in range(1, len(names) + 1):
        holder = page.locator("details.key-share").nth(n - 1)
        holder.locator("summary").click()
        code = holder.locator(".key-share__code")
        assert code.is_visible() and holder.locator("svg[role=img]").is_visible()
        shares.append(code.inner_text())
        if n == 1:
            assert_accessible(page)  # a share open, its sheet in French and Dutch
            assert "Sleuteldeel nummer 1" in holder.inner_text()
        printed = page.evaluate("window.printedSheets || 0")
        holder.get_by_role("button", name="Imprimer ma feuille").click()
        assert page.evaluate("window.printedSheets") == printed + 1
        holder.get_by_role("button", name="J'ai ma part : la masquer").click()
        assert holder.locator(".key-share__code").count() == 0  # gone from the page for the next holder
        assert "Part remise et masquée." in holder.inner_text()
    assert len(set(shares)) == 3

    page.get_by_role("link", name="Vérifier une part de clé").click()
    assert_accessible(page)
    for share in shares:
        page.get_by_label("Part de clé, comme sur la feuille").fill(share)
        page.get_by_role("button", name="Vérifier ma part").click()
        assert "est correcte" in page.locator(".messages").inner_text()
    assert_accessible(page)

    page.goto(f"{site_url}/fr/elections/{demo.SLUG}/manage/")
    page.get_by_role("button", name="Passer à : vote ouvert").click()
    assert_accessible(page)
    election.refresh_from_db()
    assert election.status == Election.Status.VOTING


def test_two_key_holders_open_the_box_at_the_close_and_the_receipts_are_published(committee_page, site_url):
    page = committee_page
    demo.load(io.StringIO())
    election = Election.objects.get(slug=demo.SLUG)
    accepted = list(election.candidacies.filter(status=Candidacy.Status.ACCEPTED).order_by("pk"))
    receipts = [
        services.ballot_cast(election=election, roll_entry_id=entry.pk, choices=[accepted[n].pk])
        for n, entry in enumerate(election.roll.order_by("pk")[:2])
    ]
    demo.close_now()
    shares = demo.demo_shares(election)

    page.goto(f"{site_url}/nl/elections/{demo.SLUG}/manage/")
    assert_accessible(page)
    page.get_by_role("link", name="De elektronische stembus openen (sleutelhouders)").click()
    assert_accessible(page)
    page.get_by_label("Deel van sleutelhouder 1 van 2").fill(shares[0])
    page.get_by_label("Deel van sleutelhouder 2 van 2").fill(shares[0])
    page.get_by_role("button", name="De stembus openen en de stemmen ontsleutelen").click()
    assert "twee keer ingevoerd" in page.locator("main").inner_text()
    assert "de stembus blijft gesloten" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Deel van sleutelhouder 1 van 2").fill(shares[2])
    page.get_by_label("Deel van sleutelhouder 2 van 2").fill(shares[0])
    page.get_by_role("button", name="De stembus openen en de stemmen ontsleutelen").click()
    assert "2 stemmen ontsleuteld" in page.locator(".messages").inner_text()
    assert_accessible(page)
    assert sorted(c for (c,) in CountedBallot.objects.values_list("choices")) == sorted(
        [[accepted[0].pk], [accepted[1].pk]]
    )

    for station in election.stations.all():
        services.station_count_enter(
            station=station, ballots=0, blank=0, void=0, votes={c.pk: 0 for c in accepted}, actor=None
        )
    services.election_advance(election=election, actor=None)
    page.goto(f"{site_url}/nl/elections/{demo.SLUG}/ballot-box/")
    assert_accessible(page)
    text = page.locator("main").inner_text()
    assert "2 ontvangstbewijzen gepubliceerd; 2 kiezers stemden online." in text
    assert all(receipt in text for receipt in receipts)
