"""The demo accounts of `make run` load twice without change and give a linked tenant and a worker."""

import io

import pytest

from portal import demo, demo_accounts
from portal.permissions import is_collective_worker, is_linked_tenant

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_idempotent_and_give_a_linked_tenant_and_a_worker(django_user_model):
    demo.load(io.StringIO())
    demo_accounts.load(io.StringIO())
    demo_accounts.load(io.StringIO())
    tenant = django_user_model.objects.get(email="locataire@example.org")
    worker = django_user_model.objects.get(email="assistant.marolles@example.org")
    assert is_linked_tenant(tenant)
    assert is_collective_worker(worker)
    assert tenant.organisations.count() == 1
