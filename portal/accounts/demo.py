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
from .linking import CODE_ALPHABET, hash_code

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


def demo_codes():
    """The demo's personal codes, in the order they are handed out: `MARS-BXK2-DEMA`, then `...-DEMB`..."""
    return [f"{DEMO_CODE[:-1]}{letter}" for letter in CODE_ALPHABET[CODE_ALPHABET.index(DEMO_CODE[-1]) :]]


def _demo_linking_code(hood: Neighbourhood, stdout) -> None:
    """A personal code a visitor of the demo can try (sign up, then "My account" > link), printed on every run.

    The codes are deterministic (so they can be printed again: only their hash is stored): the first one not used
    yet is printed; once it has been used, the next one is issued to another lease holder without an account.
    """
    for code in demo_codes():
        linking_code = LinkingCode.objects.filter(code_hash=hash_code(code)).select_related("person").first()
        if linking_code is None:
            person = (
                Person.objects.current()
                .filter(
                    household__dwelling__building__site__neighbourhood=hood,
                    role=Person.Role.LEASE_HOLDER,
                    user__isnull=True,
                    linking_codes__isnull=True,
                )
                .order_by("-external_ref")
                .first()
            )
            if person is None:
                stdout.write("Demo linking code: every lease holder of the demo has one (make demo-reset).")
                return
            linking_code = LinkingCode.objects.create(
                person=person,
                code_hash=hash_code(code),
                expires_at=timezone.now()
                + datetime.timedelta(days=settings.PORTAL_LINKING_CODE_VALIDITY_DAYS),
            )
        elif linking_code.used_at is not None or linking_code.person.user_id is not None:
            continue
        elif linking_code.expires_at <= timezone.now():
            linking_code.expires_at = timezone.now() + datetime.timedelta(
                days=settings.PORTAL_LINKING_CODE_VALIDITY_DAYS
            )
            linking_code.save(update_fields=["expires_at"])
        person = linking_code.person
        stdout.write(
            f"Demo linking code: {code} with date of birth {person.birth_date:%d/%m/%Y} "
            f"({person.full_name}, single use, valid until {linking_code.expires_at:%Y-%m-%d})."
        )
        return
