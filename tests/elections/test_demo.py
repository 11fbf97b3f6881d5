import io

import pytest

from elections.models import Candidacy, Election

pytestmark = pytest.mark.django_db


def test_demo_election_is_open_for_voting_with_six_candidates_and_is_idempotent():
    from elections import demo
    from portal import demo as register_demo

    register_demo.load(io.StringIO())
    out = io.StringIO()
    demo.load(out)
    demo.load(io.StringIO())
    election = Election.objects.get(slug=demo.SLUG)
    assert election.status == Election.Status.VOTING
    assert election.candidacies.filter(status=Candidacy.Status.ACCEPTED).count() == 6
    assert election.candidacies.filter(status=Candidacy.Status.REFUSED).count() == 1
    assert election.roll.count() > 50
    assert "with code" in out.getvalue()
    assert Election.objects.count() == 1
