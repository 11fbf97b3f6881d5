import io

import pytest
from django.core.management import call_command

from elections import demo, services
from elections.models import BallotBox, Candidacy, CountedBallot, Election

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_register(settings, tmp_path):
    from portal import demo as register_demo

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    register_demo.load(io.StringIO())


def test_demo_election_is_open_for_voting_with_six_candidates_and_is_idempotent(demo_register):
    out = io.StringIO()
    demo.load(out)
    again = io.StringIO()
    demo.load(again)
    election = Election.objects.get(slug=demo.SLUG)
    assert election.status == Election.Status.VOTING
    assert election.candidacies.filter(status=Candidacy.Status.ACCEPTED).count() == 6
    assert election.candidacies.filter(status=Candidacy.Status.REFUSED).count() == 1
    assert election.roll.count() > 50
    assert Election.objects.count() == 1
    box = BallotBox.objects.get(election=election)
    assert all(holder.checked_at for holder in box.holders.all())
    # Every run prints the voting code and the three key holders' shares (they are not in the database).
    for text in (out.getvalue(), again.getvalue()):
        assert "with code" in text
        assert sum(share in text for share in demo.demo_shares(election)) == 3
    assert (demo.shares_file().stat().st_mode & 0o777) == 0o600


def test_a_newcomer_closes_the_demo_vote_and_opens_the_box_with_two_printed_shares(demo_register):
    demo.load(io.StringIO())
    election = Election.objects.get(slug=demo.SLUG)
    entry = election.roll.order_by("pk").first()
    accepted = list(election.candidacies.filter(status=Candidacy.Status.ACCEPTED))
    services.ballot_cast(election=election, roll_entry_id=entry.pk, choices=[accepted[0].pk])
    out = io.StringIO()
    call_command("demo_election", "--close", stdout=out)
    election.refresh_from_db()
    assert election.status == Election.Status.COUNTING
    assert election.events.filter(kind="rules_corrected", summary__startswith="Demo:").exists()
    printed = [line.split(": ", 1)[1] for line in out.getvalue().splitlines() if line.startswith("    ")]
    services.ballot_box_open(election=election, shares=printed[1:], actor=None)
    assert list(CountedBallot.objects.filter(election=election).values_list("choices", flat=True)) == [
        [accepted[0].pk]
    ]


def test_the_demo_election_can_be_rebuilt_to_hold_its_key_ceremony_on_screen(demo_register):
    demo.load(io.StringIO())
    out = io.StringIO()
    call_command("demo_election", "--ceremony", stdout=out)
    election = Election.objects.get(slug=demo.SLUG)
    assert election.status == Election.Status.CANDIDATES_PUBLISHED
    assert not BallotBox.objects.filter(election=election).exists()
    assert "Waiting for its key ceremony" in out.getvalue()


def test_no_other_election_can_be_closed_early_by_the_demo_command(demo_register):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Only the demo election"):
        call_command("demo_election", "--close", stdout=io.StringIO())
