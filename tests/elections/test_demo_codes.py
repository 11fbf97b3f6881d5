"""`load_demo` prints a voting code on every run, another voter's once the printed voter has voted."""

import datetime
import io
import re

import pytest

from elections import demo, services
from elections.models import Election
from portal import demo as register_demo

pytestmark = pytest.mark.django_db
PRINTED = re.compile(r"with code (\S+) and date of birth (\d\d)/(\d\d)/(\d{4})")


def _printed() -> tuple[str, datetime.date]:
    out = io.StringIO()
    demo.load(out)
    code, day, month, year = PRINTED.search(out.getvalue()).groups()
    return code, datetime.date(int(year), int(month), int(day))


def test_the_voting_code_is_printed_again_until_its_voter_has_voted_then_another_one(settings):
    register_demo.load(io.StringIO())
    first = _printed()
    assert _printed() == first
    election = Election.objects.get(slug=demo.SLUG)
    voter = services.voter_identify(election=election, code=first[0], birth_date=first[1])
    services.ballot_cast(election=election, roll_entry_id=voter.pk, choices=[])
    second = _printed()
    assert second[0] != first[0]
    assert services.voter_identify(election=election, code=second[0], birth_date=second[1]).pk != voter.pk
    assert Election.objects.count() == 1
