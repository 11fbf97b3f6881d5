"""Demo accounts for `make run`: a collective worker of Les Marolles, a tenant whose account is linked, and a
tenant committee with that tenant as member. Idempotent. Called from `portal.demo.load` (one line).

The password comes from PORTAL_DEMO_PASSWORD (default below, for local demos only).
"""

import datetime
import os

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from .. import roles
from ..models import LinkingCode, Neighbourhood, Organisation, Person, WorkerAssignment
from .linking import hash_code

DEMO_PASSWORD = os.environ.get("PORTAL_DEMO_PASSWORD", "Portail-demo-2026")  # noqa: S105 - local demo only
DEMO_CODE = "MARS-BXK2-DEMA"


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
    _demo_linking_code(hood, stdout)


def _demo_linking_code(hood: Neighbourhood, stdout) -> None:
    """A fixed personal code so that a visitor of the demo can try linking an account (sign up, then "My account")."""
    code_hash = hash_code(DEMO_CODE)
    linking_code = LinkingCode.objects.filter(code_hash=code_hash).select_related("person").first()
    if linking_code is None:
        person = (
            Person.objects.current()
            .filter(
                household__dwelling__building__site__neighbourhood=hood,
                role=Person.Role.LEASE_HOLDER,
                user__isnull=True,
            )
            .order_by("-external_ref")
            .first()
        )
        if person is None:
            return
        linking_code = LinkingCode.objects.create(
            person=person,
            code_hash=code_hash,
            expires_at=timezone.now() + datetime.timedelta(days=settings.PORTAL_LINKING_CODE_VALIDITY_DAYS),
        )
    person = linking_code.person
    state = "already used" if linking_code.used_at else f"valid until {linking_code.expires_at:%Y-%m-%d}"
    stdout.write(
        f"Demo linking code: {DEMO_CODE} with date of birth {person.birth_date:%d/%m/%Y} "
        f"({person.full_name}, {state})."
    )
