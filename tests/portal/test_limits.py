"""The limits of linking an account at their boundary: a code's last second, the number of failed tries, the hour
they are counted over."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.accounts.linking import account_link_with_code, linking_codes_issue
from portal.permissions import is_linked_tenant

from .accounts_factories import make_person, make_user

pytestmark = pytest.mark.django_db
BIRTH = datetime.date(1962, 4, 17)
WRONG_BIRTH = datetime.date(1970, 1, 1)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def issued():
    [item] = linking_codes_issue(persons=[make_person(birth_date=BIRTH)], actor=None)
    return item


@pytest.mark.parametrize(("before", "linked"), [(SECOND, True), (datetime.timedelta(0), False)])
def test_a_code_works_until_the_second_before_it_expires(issued, before, linked):
    user = make_user()
    with time_machine.travel(issued.expires_at - before, tick=False):
        if linked:
            account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address=None)
        else:
            with pytest.raises(ValidationError, match="This code has expired") as refusal:
                account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address=None)
            assert refusal.value.code == "expired"
    assert is_linked_tenant(user) is linked


def _fail(user, issued, times: int) -> None:
    for _attempt in range(times):
        with pytest.raises(ValidationError, match="do not match") as refusal:
            account_link_with_code(user=user, code=issued.code, birth_date=WRONG_BIRTH, ip_address=None)
        assert refusal.value.code == "no_match"


@pytest.mark.parametrize(("failures", "linked"), [(4, True), (5, False)])
def test_four_failed_tries_still_allow_the_right_code_the_fifth_blocks_it(settings, issued, failures, linked):
    settings.PORTAL_LINKING_MAX_FAILURES_PER_HOUR = 5
    user = make_user()
    _fail(user, issued, failures)
    if linked:
        account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address=None)
    else:
        with pytest.raises(ValidationError, match="Too many wrong tries") as refusal:
            account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address=None)
        assert refusal.value.code == "rate_limited"
    assert is_linked_tenant(user) is linked


@pytest.mark.parametrize(
    ("later", "linked"),
    [(datetime.timedelta(hours=1) - SECOND, False), (datetime.timedelta(hours=1) + SECOND, True)],
    ids=["a second before the hour is over", "a second after"],
)
def test_failed_tries_count_for_one_hour(issued, later, linked):
    user = make_user()
    start = datetime.datetime(2026, 5, 4, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        _fail(user, issued, 5)
    with time_machine.travel(start + later, tick=False):
        if linked:
            account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address=None)
        else:
            with pytest.raises(ValidationError, match="Too many wrong tries"):
                account_link_with_code(user=user, code=issued.code, birth_date=BIRTH, ip_address=None)
    assert is_linked_tenant(user) is linked
