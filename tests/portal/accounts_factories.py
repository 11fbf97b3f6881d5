"""Factory functions for the account tests: register rows (tests/factories/register.py), accounts with a verified
e-mail, role members."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal import roles
from portal.models import Neighbourhood, Person, WorkerAssignment
from tests.factories import register

PASSWORD = "Brussels-tenant-2026"


def make_neighbourhood(slug: str | None = None) -> Neighbourhood:
    return register.neighbourhood(slug)


def make_person(
    *,
    neighbourhood: Neighbourhood | None = None,
    first_name: str = "Fatima",
    last_name: str = "El Amrani",
    birth_date: datetime.date = datetime.date(1962, 4, 17),
    language: str = "",
    user=None,
    end_date: datetime.date | None = None,
) -> Person:
    n = register.number()
    return register.tenant(
        neighbourhood or make_neighbourhood(),
        end=end_date,
        language=language,
        unit=f"{n}A",
        first_name=first_name,
        last_name=last_name,
        born=birth_date,
        email=f"person{n}@example.org",
        phone="02 555 00 00",
        user=user,
    )


def make_user(
    email: str | None = None, *, groups: tuple[str, ...] = (), superuser: bool = False, verified=True
):
    n = register.number()
    email = email or f"user{n}@example.org"
    user = get_user_model().objects.create_user(
        username=f"user{n}", email=email, password=PASSWORD, is_superuser=superuser, is_staff=superuser
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def make_worker(*neighbourhoods: Neighbourhood):
    user = make_user(groups=(roles.COLLECTIVE_WORKERS,))
    for hood in neighbourhoods:
        WorkerAssignment.objects.create(user=user, neighbourhood=hood)
    return user


def make_tenant(**kwargs):
    user = make_user()
    person = make_person(user=user, **kwargs)
    return user, person


def give_authenticator(user) -> str:
    """Set up an authenticator app for `user` as allauth does (encrypted secret); returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_code(secret: str, step: int = 0) -> str:
    """The authenticator app's code now (`step` 30-second periods later; allauth refuses a code used twice)."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def log_in_with_code(client, user, secret: str, language: str = "en") -> None:
    """Log in through allauth as a person does: password, then the authenticator app's code."""
    response = client.post(f"/{language}/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "/2fa/authenticate/" in response["Location"], response
    response = client.post(response["Location"], {"code": current_code(secret)})
    assert response.status_code == 302 and "/2fa/" not in response["Location"], response
