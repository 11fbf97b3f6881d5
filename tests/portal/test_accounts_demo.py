"""The demo accounts of `make run` load twice without change and give a linked tenant and a worker."""

import datetime
import io
import re

import pytest

from portal import demo
from portal.accounts import demo as demo_accounts
from portal.accounts.linking import account_link_with_code
from portal.models import LinkingCode
from portal.permissions import is_collective_worker, is_linked_tenant

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_idempotent_and_give_a_linked_tenant_and_a_worker(django_user_model):
    demo.load(io.StringIO())
    demo_accounts.load(io.StringIO())
    out = io.StringIO()
    demo_accounts.load(out)
    tenant = django_user_model.objects.get(email="locataire@example.org")
    worker = django_user_model.objects.get(email="assistant.marolles@example.org")
    assert is_linked_tenant(tenant)
    assert is_collective_worker(worker)
    assert tenant.organisations.count() == 1
    assert LinkingCode.objects.count() == 1
    birth = re.search(r"date of birth (\d\d)/(\d\d)/(\d{4})", out.getvalue())
    day, month, year = (int(part) for part in birth.groups())
    visitor = django_user_model.objects.create_user(username="visitor", email="visitor@example.org")
    account_link_with_code(
        user=visitor,
        code=demo_accounts.DEMO_CODE,
        birth_date=datetime.date(year, month, day),
        ip_address=None,
    )
    assert is_linked_tenant(visitor)
