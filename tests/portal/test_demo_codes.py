"""`load_demo` prints a usable personal linking code on every run, and a new one once the last was used."""

import datetime
import io
import re

import pytest

from portal import demo
from portal.accounts import demo as demo_accounts
from portal.accounts.linking import account_link_with_code
from portal.permissions import is_linked_tenant

pytestmark = pytest.mark.django_db
PRINTED = re.compile(r"Demo linking code: (\S+) with date of birth (\d\d)/(\d\d)/(\d{4})")


def _printed_code() -> tuple[str, datetime.date]:
    out = io.StringIO()
    demo_accounts.load(out)
    code, day, month, year = PRINTED.search(out.getvalue()).groups()
    return code, datetime.date(int(year), int(month), int(day))


def _link(django_user_model, name, code, birth_date):
    visitor = django_user_model.objects.create_user(username=name, email=f"{name}@example.org")
    account_link_with_code(user=visitor, code=code, birth_date=birth_date, ip_address=None)
    return visitor


def test_every_run_prints_the_same_unused_code_then_a_new_one_once_it_is_used(django_user_model):
    demo.load(io.StringIO())
    first = _printed_code()
    assert first[0] == demo_accounts.DEMO_CODE
    assert _printed_code() == first  # not used yet: printed again, unchanged
    assert is_linked_tenant(_link(django_user_model, "visitor1", *first))
    second = _printed_code()
    assert second[0] != first[0]
    assert _printed_code() == second
    assert is_linked_tenant(_link(django_user_model, "visitor2", *second))
    assert _printed_code()[0] not in {first[0], second[0]}
