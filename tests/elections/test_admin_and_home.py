"""The Wagtail admin menu of elections, the read-only election log, the home page slot, receipt look-up and the
results page's query count."""

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from elections import selectors, services
from elections.models import Ballot, PublishedReceipt
from elections.wagtail_hooks import election_home_slot

from .factories import AFTER_VOTING, DURING_VOTING, committee_member, election_in_voting, open_ballot_box

pytestmark = pytest.mark.django_db


def publish(election, committee, online_votes=1):
    station = election.stations.get()
    accepted = list(selectors.accepted_candidacies(election))
    receipts = []
    with time_machine.travel(DURING_VOTING, tick=False):
        for entry in election.roll.all()[:online_votes]:
            receipts.append(
                services.ballot_cast(election=election, roll_entry_id=entry.pk, choices=[accepted[0].pk])
            )
    with time_machine.travel(AFTER_VOTING, tick=False):
        services.election_advance(election=election, actor=committee)
        if receipts:
            open_ballot_box(election, committee)
        services.station_count_enter(
            station=station, ballots=0, blank=0, void=0, votes={c.pk: 0 for c in accepted}, actor=committee
        )
        services.election_advance(election=election, actor=committee)
    return receipts


def test_committee_member_sees_the_elections_menu_and_edits_an_election_in_the_admin(client, home_pages):
    election, persons, accepted, committee = election_in_voting(voters=10)
    client.force_login(committee)
    dashboard = client.get("/admin/").content.decode()
    assert "/elections/manage/" in dashboard  # the "Election desk" menu item
    assert client.get("/admin/elections/election/").status_code == 200
    # During the vote the rules are frozen: the edit page opens the read-only view (tests/elections/test_rules.py).
    frozen = client.get(f"/admin/elections/election/edit/{election.pk}/")
    assert frozen.status_code == 302 and frozen["Location"].endswith(f"/inspect/{election.pk}/")
    assert client.get(frozen["Location"]).status_code == 200
    assert client.get("/admin/elections/pollingstation/").status_code == 200


def test_election_log_is_read_only_in_the_admin(client, home_pages):
    election, persons, accepted, committee = election_in_voting(voters=10)
    admin = User.objects.create_superuser("root", "root@example.org", "a-long-password-1")
    client.force_login(admin)
    index = client.get("/admin/elections/electionevent/")
    assert index.status_code == 200
    event = election.events.first()
    assert client.get(f"/admin/elections/electionevent/inspect/{event.pk}/").status_code == 200
    assert client.get(f"/admin/elections/electionevent/edit/{event.pk}/").status_code in {302, 403}
    assert client.get("/admin/elections/electionevent/new/").status_code in {302, 403}
    assert client.post(f"/admin/elections/electionevent/delete/{event.pk}/").status_code in {302, 403}
    assert election.events.filter(pk=event.pk).exists()


def test_a_worker_without_the_committee_role_cannot_edit_elections_in_the_admin(client, home_pages):
    from .factories import worker

    election, persons, accepted, committee = election_in_voting(voters=10)
    client.force_login(worker())
    response = client.get(f"/admin/elections/election/edit/{election.pk}/")
    assert response.status_code in {302, 403}


def test_home_page_slot_shows_the_current_election(rf):
    election, persons, accepted, committee = election_in_voting(voters=10)
    slot = election_home_slot(rf.get("/fr/"), None)
    assert slot["context"]["election"] == election
    assert slot["template"] == "elections/includes/home_slot.html"


def test_voter_checks_their_receipt_after_the_close_and_not_before(client, home_pages, solve_captcha):
    election, persons, accepted, committee = election_in_voting(voters=10)
    url = reverse("elections:receipt", kwargs={"slug": election.slug})
    with time_machine.travel(DURING_VOTING, tick=False):
        assert client.get(url).status_code == 403
    receipt = publish(election, committee, online_votes=1)[0]
    page = client.get(url)
    found = client.post(url, {"receipt": receipt.lower().replace("-", " "), **solve_captcha(page)})
    assert "was counted" in found.content.decode()
    page = client.get(url)
    missing = client.post(url, {"receipt": "AAAA-AAAA-AAAA-AAAA", **solve_captcha(page)})
    assert "No ballot has this receipt code" in missing.content.decode()
    assert PublishedReceipt.objects.filter(election=election, receipt=receipt).exists()
    assert not Ballot.objects.filter(election=election).exists()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_results_page_is_translated_and_makes_the_same_number_of_queries_for_6_or_15_candidates(
    client, home_pages, language
):
    counts = []
    for n in (6, 15):
        election, persons, accepted, committee = election_in_voting(
            voters=2 * n, candidates=n, seats=5, min_candidates=5
        )
        publish(election, committee)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/{language}/elections/{election.slug}/results/")
        assert response.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_committee_member_can_open_the_dashboard_of_every_phase(client, home_pages):
    election, persons, accepted, committee = election_in_voting(voters=10)
    client.force_login(committee_member())
    url = reverse("elections:manage", kwargs={"slug": election.slug})
    with time_machine.travel(DURING_VOTING, tick=False):
        assert "Check-in desk" in client.get(url).content.decode()
    with time_machine.travel(AFTER_VOTING, tick=False):
        services.election_advance(election=election, actor=committee)
        assert "Enter the paper count" in client.get(url).content.decode()


def test_elections_index_lists_announced_elections_but_not_drafts(client, home_pages):
    from .factories import make_election

    election, persons, accepted, committee = election_in_voting(voters=10)
    with time_machine.travel(DURING_VOTING, tick=False):
        draft = make_election(council_name="Brouillon secret")
    html = client.get(reverse("elections:index")).content.decode()
    assert election.council_name in html and draft.council_name not in html
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("phase_time", "role", "expected"),
    [
        ("candidacy", "tenant", 200),
        ("candidacy", "not_linked", 403),
        ("candidacy", "anonymous", 302),
        ("voting", "tenant", 403),
    ],
)
def test_apply_page_permission_by_role_and_phase(client, home_pages, phase_time, role, expected):
    from elections.models import Election

    from .factories import DURING_CANDIDACIES, make_company, make_election, make_user

    person = make_company(households=1, members=1)[0]
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        services.election_advance(election=election, actor=committee_member())
    if phase_time == "voting":
        Election.objects.filter(pk=election.pk).update(status=Election.Status.VOTING)
    if role == "tenant":
        client.force_login(make_user(person=person))
    elif role == "not_linked":
        client.force_login(make_user())
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        response = client.get(reverse("elections:apply", kwargs={"slug": election.slug}))
    assert response.status_code == expected
