"""Frozen rules: once the roll is frozen (voting opened) the Wagtail admin cannot change an election's rules or its
polling stations; what may still be corrected goes through `election_rules_correct`, with a reason in the log."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from elections import services
from elections.models import SETTINGS, Election, ElectionEvent, PollingStation

from .factories import (
    AFTER_VOTING,
    BRUSSELS,
    DURING_CANDIDACIES,
    DURING_VOTING,
    committee_member,
    election_in_voting,
    make_election,
    worker,
)

pytestmark = pytest.mark.django_db


def admin_form_data(election: Election, **changes) -> dict:
    """The Wagtail admin's edit form of an election as a browser would post it, with `changes` applied."""
    data = {}
    for name in SETTINGS:
        value = changes.get(name, getattr(election, name))
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = "" if value is None else str(value)
    return data


def edit_url(election):
    return f"/admin/elections/election/edit/{election.pk}/"


def test_committee_cannot_change_quorum_proxies_online_voting_or_closing_in_the_admin_during_the_vote(
    client, home_pages
):
    election, persons, accepted, committee = election_in_voting(voters=10)
    client.force_login(committee)
    before = election.events.count()
    with time_machine.travel(DURING_VOTING, tick=False):
        page = client.get(edit_url(election))
        assert page.status_code == 302 and "/inspect/" in page["Location"]
        assert client.get(page["Location"]).status_code == 200  # read-only view of the rules
        response = client.post(
            edit_url(election),
            admin_form_data(
                election,
                quorum_percent="1",
                proxies_per_holder="5",
                online_voting=False,
                voting_closes_at=datetime.datetime(2026, 3, 10, 12, 0, tzinfo=BRUSSELS),
            ),
        )
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.quorum_percent == Decimal("5.00")
    assert election.proxies_per_holder == 1 and election.online_voting is True
    assert election.voting_closes_at == datetime.datetime(2026, 3, 10, 16, 0, tzinfo=BRUSSELS)
    assert election.events.count() == before


def test_settings_changed_in_the_admin_before_the_vote_are_logged_with_old_and_new_values(client, home_pages):
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        client.force_login(committee_member())
        assert client.get(edit_url(election)).status_code == 200
        response = client.post(edit_url(election), admin_form_data(election, quorum_percent="7.5", seats="9"))
    assert response.status_code == 302, response.content.decode()[:2000]
    election.refresh_from_db()
    assert election.quorum_percent == Decimal("7.50") and election.seats == 9
    event = election.events.get(kind=ElectionEvent.Kind.SETTINGS_CHANGED)
    assert event.data["changes"] == {"seats": [5, 9], "quorum_percent": ["5.00", "7.50"]}
    assert event.actor is not None


def test_a_new_election_created_in_the_admin_goes_through_the_service_and_is_logged(client, home_pages):
    data = admin_form_data(make_election(slug="model"), slug="from-the-admin", council_name="CoCoLo admin")
    client.force_login(committee_member())
    assert client.post("/admin/elections/election/new/", data).status_code == 302
    election = Election.objects.get(slug="from-the-admin")
    assert list(election.events.values_list("kind", flat=True)) == ["created"]


def test_settings_service_refuses_every_change_once_the_roll_is_frozen():
    election, persons, accepted, committee = election_in_voting(voters=10)
    with time_machine.travel(DURING_VOTING, tick=False), pytest.raises(ValidationError, match="frozen"):
        services.election_settings_update(election=election, changes={"quorum_percent": 1}, actor=committee)


def test_closing_time_is_extended_with_a_reason_before_it_has_passed_and_the_log_says_why():
    election, persons, accepted, committee = election_in_voting(voters=10)
    later = datetime.datetime(2026, 3, 10, 18, 0, tzinfo=BRUSSELS)
    with time_machine.travel(DURING_VOTING, tick=False):
        with pytest.raises(ValidationError, match="reason"):
            services.election_rules_correct(
                election=election, changes={"voting_closes_at": later}, reason=" ", actor=committee
            )
        services.election_rules_correct(
            election=election,
            changes={"voting_closes_at": later},
            reason="Power cut at the station from 9:00 to 11:00",
            actor=committee,
        )
    election.refresh_from_db()
    assert election.voting_closes_at == later
    event = election.events.get(kind=ElectionEvent.Kind.RULES_CORRECTED)
    assert event.data["reason"] == "Power cut at the station from 9:00 to 11:00"
    assert event.data["changes"]["voting_closes_at"] == [
        "2026-03-10T15:00:00+00:00",
        "2026-03-10T17:00:00+00:00",
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quorum_percent": Decimal("1")}, "cannot change once the roll is frozen"),
        ({"online_voting": False}, "cannot change once the roll is frozen"),
        ({"proxies_per_holder": 3}, "cannot change once the roll is frozen"),
        ({"seats": 9}, "cannot change once the roll is frozen"),
        ({"voting_closes_at": datetime.datetime(2026, 3, 10, 15, 0, tzinfo=BRUSSELS)}, "only be extended"),
        ({"voting_closes_at": datetime.datetime(2026, 3, 10, 16, 0, tzinfo=BRUSSELS)}, "Nothing to correct"),
    ],
)
def test_frozen_rules_refuse_what_may_not_change(changes, message):
    election, persons, accepted, committee = election_in_voting(voters=10)
    with time_machine.travel(DURING_VOTING, tick=False), pytest.raises(ValidationError, match=message):
        services.election_rules_correct(election=election, changes=changes, reason="Because", actor=committee)
    assert not election.events.filter(kind=ElectionEvent.Kind.RULES_CORRECTED).exists()


def test_closing_time_cannot_be_extended_once_it_has_passed():
    election, persons, accepted, committee = election_in_voting(voters=10)
    later = datetime.datetime(2026, 3, 10, 20, 0, tzinfo=BRUSSELS)
    with (
        time_machine.travel(AFTER_VOTING, tick=False),
        pytest.raises(ValidationError, match="Voting has closed"),
    ):
        services.election_rules_correct(
            election=election, changes={"voting_closes_at": later}, reason="Late", actor=committee
        )


def test_committee_corrects_the_rules_on_the_desk_and_workers_cannot(client, home_pages):
    election, persons, accepted, committee = election_in_voting(voters=10)
    url = reverse("elections:manage_rules", kwargs={"slug": election.slug})
    data = {
        "voting_closes_at": "2026-03-10T17:30",
        "complaints_end_on": "2026-03-25",
        "how_to_vote": election.how_to_vote,
        "reason": "",
    }
    with time_machine.travel(DURING_VOTING, tick=False):
        client.force_login(worker())
        assert client.get(url).status_code == 403
        client.force_login(committee)
        page = client.get(url).content.decode()
        assert "turnout quorum" in page.lower() and "Correct the rules" in page
        refused = client.post(url, data)
        assert refused.status_code == 200 and "This field is required" in refused.content.decode()
        refused = client.post(url, data | {"reason": "Queue", "voting_closes_at": "2026-03-10T15:00"})
        assert "only be extended" in refused.content.decode()
        response = client.post(url, data | {"reason": "Long queue at the station"})
        assert response.status_code == 302
    election.refresh_from_db()
    assert timezone.localtime(election.voting_closes_at).strftime("%H:%M") == "17:30"
    assert "Long queue at the station" in election.events.get(kind="rules_corrected").summary


def test_polling_stations_are_frozen_with_the_roll_in_the_admin(client, home_pages):
    election, persons, accepted, committee = election_in_voting(voters=10)
    station = election.stations.get()
    client.force_login(committee)
    data = {
        "election": election.pk,
        "name": "Another room",
        "address": station.address,
        "opens_at": "2026-03-10 08:00",
        "closes_at": "2026-03-10 20:00",
        "accessibility": "",
    }
    with time_machine.travel(DURING_VOTING, tick=False):
        response = client.post(f"/admin/elections/pollingstation/edit/{station.pk}/", data)
        assert any(word in response.content.decode() for word in ("frozen", "figés", "vast"))  # admin in FR
        client.post(f"/admin/elections/pollingstation/delete/{station.pk}/")
    station.refresh_from_db()
    assert station.name == "Salle communautaire"
    assert PollingStation.objects.filter(pk=station.pk).exists()


def test_polling_station_changes_before_the_vote_are_logged(client, home_pages):
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        station = election.stations.get()
        client.force_login(committee_member())
        data = {
            "election": election.pk,
            "name": "Salle du Peterbos",
            "address": station.address,
            "opens_at": "2026-03-10 08:00",
            "closes_at": "2026-03-10 16:00",
            "accessibility": "",
        }
        assert client.post(f"/admin/elections/pollingstation/edit/{station.pk}/", data).status_code == 302
    event = election.events.get(kind="station_changed")  # written in the admin's language
    assert event.data["station"] == station.pk and "Salle du Peterbos" in event.summary


def test_an_election_past_its_preparation_cannot_be_deleted_even_by_an_administrator(client, home_pages):
    election, persons, accepted, committee = election_in_voting(voters=10)
    client.force_login(User.objects.create_superuser("root", "root@example.org", "a-long-password-1"))
    with time_machine.travel(DURING_VOTING, tick=False):
        client.post(f"/admin/elections/election/delete/{election.pk}/")
    assert Election.objects.filter(pk=election.pk).exists()
