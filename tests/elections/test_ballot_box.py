"""The online ballot box: the key ceremony (k of n key holders), checking a share, opening the box after the close
with any k valid shares (and never with fewer), the published receipts and their count."""

import itertools

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from elections import ballot_box, guards, services
from elections.models import Ballot, BallotBox, CountedBallot, Election, Participation, PublishedReceipt

from .factories import (
    AFTER_CANDIDACIES,
    AFTER_VOTING,
    DURING_CANDIDACIES,
    DURING_VOTING,
    KEY_HOLDERS,
    accept,
    committee_member,
    election_in_voting,
    make_company,
    make_election,
    open_ballot_box,
    shares_of,
    worker,
)

pytestmark = pytest.mark.django_db


def list_published(**fields):
    """An election whose candidate list is published, before voting opens: the time of the key ceremony."""
    committee = committee_member()
    persons = make_company(households=6, members=2)
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election(**fields)
        services.election_advance(election=election, actor=committee)
        for person in persons[:5]:
            accept(election, person, actor=committee)
        services.roll_generate(election=election, actor=committee)
    with time_machine.travel(AFTER_CANDIDACIES, tick=False):
        services.election_advance(election=election, actor=committee)
    election.refresh_from_db()
    return election, committee


def typo(share: str) -> str:
    """One character of a share mistyped (in the middle: the last character also carries two unused bits)."""
    return share[:5] + ("A" if share[5] != "A" else "B") + share[6:]


def voted_and_closed(voters=3, **fields):
    election, persons, accepted, committee = election_in_voting(voters=10, **fields)
    receipts = []
    with time_machine.travel(DURING_VOTING, tick=False):
        for n, entry in enumerate(election.roll.order_by("pk")[:voters]):
            receipts.append(
                services.ballot_cast(election=election, roll_entry_id=entry.pk, choices=[accepted[n % 5].pk])
            )
    with time_machine.travel(AFTER_VOTING, tick=False):
        services.election_advance(election=election, actor=committee)
    return election, accepted, committee, receipts


# --- The key ceremony -----------------------------------------------------------------------------------------


def test_voting_cannot_open_before_the_key_ceremony_and_every_share_checked():
    election, committee = list_published()
    with time_machine.travel(DURING_VOTING, tick=False):
        assert guards.election_issues_before_advance(election) == [
            "Hold the key ceremony of the online ballot box: the 3 key holders must be present "
            "(2 of them will be needed to open it)."
        ]
        with time_machine.travel(AFTER_CANDIDACIES, tick=False):
            shares = [
                s.text
                for s in services.ballot_box_create(
                    election=election, holders=KEY_HOLDERS[:3], actor=committee
                )
            ]
        services.key_share_check(election=election, share=shares[0], actor=committee)
        assert guards.election_issues_before_advance(election) == [
            "Key holders who have not yet typed their share back to check it: Jan Peeters, Fatima El Amrani."
        ]
        for share in shares[1:]:
            services.key_share_check(election=election, share=share, actor=committee)
        assert guards.election_issues_before_advance(election) == []
        services.election_advance(election=election, actor=committee)
    kinds = list(election.events.values_list("kind", flat=True))
    assert kinds.count("key_created") == 1 and kinds.count("key_share_checked") == 3
    assert "2 of 3 open it" in election.events.get(kind="key_created").summary


def test_key_ceremony_needs_the_names_of_every_holder_and_different_people():
    election, committee = list_published()
    with time_machine.travel(AFTER_CANDIDACIES, tick=False):
        with pytest.raises(ValidationError, match="names of the 3 key holders"):
            services.ballot_box_create(election=election, holders=["Marie", "Jan"], actor=committee)
        with pytest.raises(ValidationError, match="different names"):
            services.ballot_box_create(election=election, holders=["Marie", "Jan", "marie "], actor=committee)
    assert not BallotBox.objects.filter(election=election).exists()


def test_a_key_ceremony_held_again_before_the_vote_makes_the_first_sheets_useless():
    election, committee = list_published()
    with time_machine.travel(AFTER_CANDIDACIES, tick=False):
        first = services.ballot_box_create(election=election, holders=KEY_HOLDERS[:3], actor=committee)
        second = services.ballot_box_create(election=election, holders=KEY_HOLDERS[:3], actor=committee)
        with pytest.raises(ValidationError, match="does not match this ballot box"):
            services.key_share_check(election=election, share=first[0].text, actor=committee)
        assert (
            services.key_share_check(election=election, share=second[0].text.lower(), actor=committee).index
            == 1
        )
    assert BallotBox.objects.filter(election=election).count() == 1


def test_the_key_is_made_only_before_voting_opens():
    election, persons, accepted, committee = election_in_voting(voters=10)
    with (
        time_machine.travel(DURING_VOTING, tick=False),
        pytest.raises(ValidationError, match="before voting opens"),
    ):
        services.ballot_box_create(election=election, holders=KEY_HOLDERS[:3], actor=committee)


def test_a_mistyped_share_is_told_apart_from_a_share_that_does_not_fit():
    election, persons, accepted, committee = election_in_voting(voters=10)
    share = shares_of(election)[1]
    with time_machine.travel(DURING_VOTING, tick=False):
        with pytest.raises(ValidationError, match="This is not a key share"):
            services.key_share_check(election=election, share=share[:-3], actor=committee)
        wrong = typo(share)
        with pytest.raises(ValidationError, match="Share number 2 does not match"):
            services.key_share_check(election=election, share=wrong, actor=committee)
        # Read back from paper: 0 for O, 1 for I and 8 for B are taken for what they look like.
        assert (
            services.key_share_check(election=election, share=share.replace("O", "0"), actor=committee).index
            == 2
        )


def test_a_cast_ballot_is_sealed_and_its_receipt_is_the_hash_of_the_sealed_ballot():
    election, persons, accepted, committee = election_in_voting(voters=10)
    with time_machine.travel(DURING_VOTING, tick=False):
        receipt = services.ballot_cast(
            election=election, roll_entry_id=election.roll.first().pk, choices=[accepted[0].pk]
        )
    ballot = Ballot.objects.get(election=election)
    assert ballot.receipt == receipt == ballot_box.receipt_of(bytes(ballot.sealed))
    assert accepted[0].pk.to_bytes(8, "big") not in bytes(ballot.sealed)


# --- Opening the box ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entered", "message"),
    [
        (lambda s: [s[0]], "1 valid share of 2 needed"),
        (lambda s: [s[0], s[0]], "entered twice"),
        (
            lambda s: [s[0], typo(s[1])],
            "does not match",
        ),
        (lambda s: ["", s[2]], "1 valid share of 2 needed"),
        (lambda s: [s[1], "hello"], "This is not a key share"),
    ],
)
def test_the_count_is_refused_with_fewer_than_k_valid_shares_and_nothing_changes(entered, message):
    election, accepted, committee, receipts = voted_and_closed()
    with time_machine.travel(AFTER_VOTING, tick=False), pytest.raises(ValidationError, match=message):
        services.ballot_box_open(election=election, shares=entered(shares_of(election)), actor=committee)
    assert Ballot.objects.filter(election=election).count() == 3
    assert not CountedBallot.objects.filter(election=election).exists()
    assert BallotBox.objects.get(election=election).opened_at is None
    with time_machine.travel(AFTER_VOTING, tick=False):
        assert (
            "Open the online ballot box: 2 key holders enter their shares."
            in guards.election_issues_before_advance(election)
        )


def test_the_box_opens_with_shares_two_and_three_and_the_results_count_the_online_ballots():
    election, accepted, committee, receipts = voted_and_closed(voters=3)
    shares = shares_of(election)
    with time_machine.travel(AFTER_VOTING, tick=False):
        box = open_ballot_box(election, committee, shares=[shares[2], shares[1]])
        assert box.decrypted == 3 and box.void == 0
        services.station_count_enter(
            station=election.stations.get(),
            ballots=0,
            blank=0,
            void=0,
            votes={c.pk: 0 for c in accepted},
            actor=committee,
        )
        services.election_advance(election=election, actor=committee)
    result = election.result
    assert result.online_ballots == result.online_voters == result.receipts_published == 3
    assert {c.candidacy_id: c.online_votes for c in result.candidates.all() if c.online_votes} == {
        accepted[0].pk: 1,
        accepted[1].pk: 1,
        accepted[2].pk: 1,
    }
    event = election.events.get(kind="ballot_box_opened")
    assert "Fatima El Amrani, Jan Peeters" in event.summary and event.data["decrypted"] == 3
    assert set(PublishedReceipt.objects.filter(election=election).values_list("receipt", flat=True)) == set(
        receipts
    )
    with (
        time_machine.travel(AFTER_VOTING, tick=False),
        pytest.raises(ValidationError, match="before the results"),
    ):
        services.ballot_box_open(election=election, shares=shares[:2], actor=committee)


@pytest.mark.parametrize(("k", "n"), [(2, 3), (3, 5)])
def test_any_k_of_the_n_shares_open_the_key_and_fewer_do_not(k, n):
    key = ballot_box.key_create(election_id=1, threshold=k, holders=n)
    ctx = ballot_box.context(1, key.public_key)
    sealed = ballot_box.seal([41, 42], public_key=key.public_key, ctx=ctx)
    for chosen in itertools.combinations(key.shares, k):
        private = ballot_box.private_key_from_shares(
            chosen,
            threshold=k,
            public_key=key.public_key,
            wrapped_private_key=key.wrapped_private_key,
            ctx=ctx,
        )
        assert ballot_box.open_box([sealed], private_key=private, ctx=ctx) == [[41, 42]]
    with pytest.raises(ballot_box.ShareError):
        ballot_box.private_key_from_shares(
            key.shares[: k - 1],
            threshold=k,
            public_key=key.public_key,
            wrapped_private_key=key.wrapped_private_key,
            ctx=ctx,
        )
    # k - 1 shares and a guess for the missing one rebuild a wrong key, which the wrapped key refuses.
    forged = [*key.shares[: k - 1], ballot_box.KeyShare(key.shares[k - 1].index, bytes(16))]
    with pytest.raises(ballot_box.ShareError):
        ballot_box.private_key_from_shares(
            forged,
            threshold=k,
            public_key=key.public_key,
            wrapped_private_key=key.wrapped_private_key,
            ctx=ctx,
        )


def test_a_sealed_ballot_of_another_election_or_altered_in_the_database_is_counted_void():
    election, accepted, committee, receipts = voted_and_closed(voters=2)
    other = ballot_box.key_create(election_id=election.pk, threshold=2, holders=3)
    Ballot.objects.filter(election=election, receipt=receipts[0]).update(
        sealed=ballot_box.seal(
            [accepted[0].pk],
            public_key=other.public_key,
            ctx=ballot_box.context(election.pk, other.public_key),
        )
    )
    with time_machine.travel(AFTER_VOTING, tick=False):
        box = open_ballot_box(election, committee)
    assert box.decrypted == 2 and box.void == 1
    assert CountedBallot.objects.filter(election=election, void=True).count() == 1


def test_an_election_where_nobody_voted_online_needs_no_share_to_publish_its_results():
    election, accepted, committee, receipts = voted_and_closed(voters=0)
    with time_machine.travel(AFTER_VOTING, tick=False):
        services.station_count_enter(
            station=election.stations.get(),
            ballots=0,
            blank=0,
            void=0,
            votes={c.pk: 0 for c in accepted},
            actor=committee,
        )
        assert guards.election_issues_before_advance(election) == []
        services.election_advance(election=election, actor=committee)
    assert election.result.online_ballots == 0 and BallotBox.objects.get(election=election).opened_at


# --- Pages ------------------------------------------------------------------------------------------------------


def test_key_pages_are_for_the_committee_only(client, home_pages):
    election, committee = list_published()
    pages = ["manage_key_ceremony", "manage_key_check", "manage_ballot_box_open"]
    client.force_login(worker())
    for name in pages:
        assert client.get(reverse(f"elections:{name}", kwargs={"slug": election.slug})).status_code == 403, (
            name
        )
    client.force_login(committee)
    for name in pages:
        response = client.get(reverse(f"elections:{name}", kwargs={"slug": election.slug}))
        assert response.status_code == 200 and "no-store" in response["Cache-Control"], name


def test_the_ceremony_page_shows_each_share_once_with_its_qr_code_and_keeps_none(client, home_pages):
    election, committee = list_published()
    client.force_login(committee)
    url = reverse("elections:manage_key_ceremony", kwargs={"slug": election.slug})
    with time_machine.travel(AFTER_CANDIDACIES, tick=False):
        form = client.get(url).content.decode()
        assert (
            "If more than 1 of the 3 key holders loses their share, the online ballots can never be" in form
        )
        refused = client.post(url, {"holder_1": "Marie", "holder_2": "Jan", "holder_3": "Fatima"})
        assert "This field is required" in refused.content.decode()  # the loss of shares is acknowledged
        page = client.post(
            url, {"holder_1": "Marie", "holder_2": "Jan", "holder_3": "Fatima", "understood": "on"}
        )
        html = page.content.decode()
        assert html.count('class="key-share__code"') == 3 and html.count('<svg role="img"') == 3
        assert "Marie" in html and "no-store" in page["Cache-Control"]
        # Posting the form again (a reload) does not silently replace the key: it must be asked for.
        again = client.post(
            url, {"holder_1": "Marie", "holder_2": "Jan", "holder_3": "Fatima", "understood": "on"}
        )
        assert again.status_code == 200 and "key-share__code" not in again.content.decode()
    assert BallotBox.objects.filter(election=election).count() == 1


def test_key_holders_open_the_box_at_the_desk_with_a_clear_message_for_a_wrong_share(client, home_pages):
    election, accepted, committee, receipts = voted_and_closed(voters=2)
    client.force_login(committee)
    url = reverse("elections:manage_ballot_box_open", kwargs={"slug": election.slug})
    shares = shares_of(election)
    with time_machine.travel(AFTER_VOTING, tick=False):
        page = client.get(url).content.decode()
        assert "2 sealed ballots wait in the box" in page
        wrong = client.post(url, {"share_1": shares[0], "share_2": shares[0]})
        assert "entered twice" in wrong.content.decode() and "the box stays closed" in wrong.content.decode()
        assert shares[0] not in wrong.content.decode()  # a share typed is not sent back to the screen
        done = client.post(url, {"share_1": shares[0], "share_2": shares[2]}, follow=True)
    assert "2 ballots decrypted" in done.content.decode()
    assert CountedBallot.objects.filter(election=election).count() == 2


def test_published_ballot_box_lists_as_many_receipts_as_online_voters_with_constant_queries(
    client, home_pages
):
    counts = []
    for voters in (2, 6):
        election, accepted, committee, receipts = voted_and_closed(voters=voters)
        online = Participation.objects.filter(election=election, channel="online").count()
        with time_machine.travel(AFTER_VOTING, tick=False):
            open_ballot_box(election, committee)
            services.station_count_enter(
                station=election.stations.get(),
                ballots=0,
                blank=0,
                void=0,
                votes={c.pk: 0 for c in accepted},
                actor=committee,
            )
            services.election_advance(election=election, actor=committee)
        url = reverse("elections:ballot_box", kwargs={"slug": election.slug})
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        counts.append(len(ctx))
        assert f"{voters} receipts published; {online} voters voted online." in html
        assert all(r in html for r in receipts)
        text = client.get(
            reverse("elections:ballot_box_file", kwargs={"slug": election.slug})
        ).content.decode()
        assert [line for line in text.splitlines() if not line.startswith("#")] == sorted(receipts)
    assert counts[0] == counts[1]


def test_the_published_ballot_box_is_not_shown_before_the_results(client, home_pages):
    election, accepted, committee, receipts = voted_and_closed(voters=1)
    assert client.get(reverse("elections:ballot_box", kwargs={"slug": election.slug})).status_code == 403
    assert client.get(reverse("elections:ballot_box_file", kwargs={"slug": election.slug})).status_code == 404
    assert Election.objects.get(pk=election.pk).status == Election.Status.COUNTING


def test_the_official_record_states_the_online_ballots_decrypted_and_their_published_receipts():
    import subprocess

    from elections.pdf import results_record_pdf
    from elections.selectors import election_results

    election, accepted, committee, receipts = voted_and_closed(voters=3)
    with time_machine.travel(AFTER_VOTING, tick=False):
        open_ballot_box(election, committee)
        services.station_count_enter(
            station=election.stations.get(),
            ballots=0,
            blank=0,
            void=0,
            votes={c.pk: 0 for c in accepted},
            actor=committee,
        )
        services.election_advance(election=election, actor=committee)
        pdf = results_record_pdf(election, election_results(election))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    text = " ".join(text.split())
    assert "3 votes scellés déchiffrés par les détenteurs de clé, pour 3 votants en ligne" in text
    assert "3 verzegelde stemmen ontsleuteld door de sleutelhouders, voor 3 online kiezers" in text
