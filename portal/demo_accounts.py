"""Demo accounts for `make run`: a collective worker of Les Marolles, a tenant whose account is linked, and a
tenant committee with that tenant as member. Idempotent. Called from `portal.demo.load` (one line).

The password comes from PORTAL_DEMO_PASSWORD (default below, for local demos only).
"""

import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import roles
from .models import Neighbourhood, Organisation, Person, WorkerAssignment

DEMO_PASSWORD = os.environ.get("PORTAL_DEMO_PASSWORD", "Portail-demo-2026")  # noqa: S105 - local demo only


def _account(email: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=email, defaults={"email": email})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load(stdout) -> None:
    hood = Neighbourhood.objects.filter(slug="marolles").first()
    if hood is None:
        return
    worker = _account("assistant.marolles@example.org")
    worker.groups.add(Group.objects.get_or_create(name=roles.COLLECTIVE_WORKERS)[0])
    WorkerAssignment.objects.get_or_create(user=worker, neighbourhood=hood)

    tenant = _account("locataire@example.org")
    if not Person.objects.filter(user=tenant).exists():
        person = (
            Person.objects.current()
            .filter(
                household__dwelling__building__site__neighbourhood=hood,
                role=Person.Role.LEASE_HOLDER,
                user__isnull=True,
            )
            .order_by("external_ref")
            .first()
        )
        if person is not None:
            person.user = tenant
            person.save(update_fields=["user"])

    committee, _created = Organisation.objects.get_or_create(
        name="Comité des locataires des Marolles",
        defaults={"kind": Organisation.Kind.TENANT_COMMITTEE, "email": "comite.marolles@example.org"},
    )
    committee.neighbourhoods.add(hood)
    committee.members.add(tenant)
    stdout.write(
        f"Accounts: worker {worker.email} and linked tenant {tenant.email} (password: {DEMO_PASSWORD})."
    )
