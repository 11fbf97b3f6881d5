"""Simultaneous linking tries on real PostgreSQL transactions: of any number arriving at once, exactly the limit
of failures is let through (per account and per address), and the right code after them is refused.

Each thread has its own database connection (closed when it ends), as each gunicorn worker has.
"""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from portal.accounts.linking import account_link_with_code, linking_codes_issue
from portal.models import LinkingAttempt, Person

from .accounts_factories import make_person, make_user

pytestmark = pytest.mark.django_db(transaction=True)

BIRTH = datetime.date(1962, 4, 17)
WRONG_BIRTH = datetime.date(1970, 1, 1)
TRIES = 30


def _all_at_once(calls):
    """Run every call in its own thread, released together; the refusal code (or "linked") of each."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        translation.activate("en")
        barrier.wait()
        try:
            call()
            return "linked"
        except ValidationError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def issued(restore_migration_data, settings):
    settings.PORTAL_LINKING_MAX_FAILURES_PER_HOUR = 5
    [item] = linking_codes_issue(persons=[make_person(birth_date=BIRTH)], actor=None)
    return item


def test_thirty_simultaneous_wrong_tries_on_one_account_let_exactly_five_through(issued):
    user = make_user()
    outcomes = _all_at_once(
        [
            lambda n=n: account_link_with_code(
                user=user, code=issued.code, birth_date=WRONG_BIRTH, ip_address=f"192.0.2.{n + 1}"
            )
            for n in range(TRIES)
        ]
    )
    assert outcomes.count("no_match") == 5
    assert outcomes.count("rate_limited") == TRIES - 5
    assert LinkingAttempt.objects.filter(user=user, succeeded=False).count() == 5


def test_the_right_code_among_simultaneous_wrong_ones_never_links_past_the_limit(issued):
    user = make_user()
    calls = [
        lambda n=n: account_link_with_code(
            user=user, code=issued.code, birth_date=WRONG_BIRTH, ip_address=f"192.0.2.{n + 1}"
        )
        for n in range(TRIES - 1)
    ]
    calls.append(
        lambda: account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address=None)
    )
    outcomes = _all_at_once(calls)
    failures = LinkingAttempt.objects.filter(user=user, succeeded=False).count()
    assert failures <= 5
    linked = Person.objects.filter(user=user).exists()
    assert linked == (outcomes.count("linked") == 1)
    if linked:
        # Let through only while fewer than five failures were recorded before it.
        success = LinkingAttempt.objects.get(user=user, succeeded=True)
        assert LinkingAttempt.objects.filter(user=user, created_at__lt=success.created_at).count() < 5
    else:
        assert failures == 5


def test_thirty_simultaneous_tries_from_one_address_on_many_accounts_let_exactly_five_through(issued):
    users = [make_user() for _ in range(TRIES)]
    outcomes = _all_at_once(
        [
            lambda user=user: account_link_with_code(
                user=user, code="ZZZZ-ZZZZ-ZZZZ", birth_date=BIRTH, ip_address="192.0.2.66"
            )
            for user in users
        ]
    )
    assert outcomes.count("no_match") == 5
    assert outcomes.count("rate_limited") == TRIES - 5
    assert LinkingAttempt.objects.filter(ip_address="192.0.2.66").count() == 5
