"""Linking an account to a tenant of the register.

A tenant proves who they are with the one-time personal code printed on a letter from the housing company plus
their date of birth (`account_link_with_code`), or a collective worker links the account after checking an identity
document (`account_link_by_worker`). Codes are stored as a keyed hash only; failed tries are counted per account and
per IP address (the client's address behind the proxies, portal/client.py), under a lock, so that codes cannot be
guessed.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import LinkingAttempt, LinkingCode, Person
from ..services import audit_record

#: No 0/O, 1/I/L: codes are read from paper and typed by people who may not see well.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def generate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """`ABCD-EFGH-JKMN`: groups of four are easier to copy."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_code(raw: str) -> str:
    """What the tenant typed, in capitals, without spaces or dashes."""
    return "".join(ch for ch in raw.upper() if ch.isascii() and ch.isalnum())


def hash_code(code: str) -> str:
    """Keyed hash (HMAC-SHA256 with SECRET_KEY) of a normalised code: what the database stores."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"portal-linking-code:" + normalise_code(code).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class IssuedCode:
    """A freshly issued code: the only moment the plain code exists, to be printed on a letter."""

    person: Person
    code: str
    expires_at: datetime.datetime


@transaction.atomic
def linking_codes_issue(*, persons: Iterable[Person], actor: Any) -> list[IssuedCode]:
    """Create one new personal code per person and return the plain codes once (for printing letters).

    Earlier unused codes of these persons stay valid until they expire: a letter may still be on its way.
    """
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=settings.PORTAL_LINKING_CODE_VALIDITY_DAYS)
    issued: list[IssuedCode] = []
    for person in persons:
        code = generate_code()
        LinkingCode.objects.create(
            person=person,
            code_hash=hash_code(code),
            created_at=now,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            expires_at=expires_at,
        )
        issued.append(IssuedCode(person=person, code=format_code(code), expires_at=expires_at))
    if issued:
        audit_record(
            action="linking_codes.issued",
            actor=actor,
            summary=f"{len(issued)} linking code(s) issued",
            data={"persons": [item.person.pk for item in issued]},
        )
    return issued


def linking_is_blocked(*, user: Any, ip_address: str | None) -> bool:
    """Too many failed tries in the last hour from this account or this IP address."""
    since = timezone.now() - datetime.timedelta(hours=1)
    who = Q(user=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    if ip_address:
        who |= Q(ip_address=ip_address)
    failures = LinkingAttempt.objects.filter(who, succeeded=False, created_at__gte=since).count()
    return failures >= settings.PORTAL_LINKING_MAX_FAILURES_PER_HOUR


def _lock_attempts_of(*, user: Any, ip_address: str | None) -> None:
    """Serialise the tries of one account and of one address until the transaction ends, so that counting the
    failures and recording this try cannot interleave with a simultaneous try (which would let more than the
    limit through). The address first, then the account: every caller takes them in that order."""
    if ip_address and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [_ADDRESS_LOCK_SPACE, ip_address]
            )
    if getattr(user, "is_authenticated", False):
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))


#: First key of the PostgreSQL advisory locks taken per address (any constant of our own).
_ADDRESS_LOCK_SPACE = 7_260_001


def account_link_with_code(
    *, user: Any, code: str, birth_date: datetime.date, ip_address: str | None
) -> Person:
    """Link `user` to the person the code was issued for, if the date of birth matches. One-time, expiring.

    Every refusal counts as a failed try (except "already linked"); after too many, linking is refused for an hour.
    Tries of one account or one address are counted and recorded under a lock (`_lock_attempts_of`): of any
    number of simultaneous tries, exactly the limit is let through.
    """
    person, refusal = _try_code(user=user, code=code, birth_date=birth_date, ip_address=ip_address)
    if refusal is not None:
        raise refusal  # after the transaction that recorded the failed try has committed
    return person


@transaction.atomic
def _try_code(
    *, user: Any, code: str, birth_date: datetime.date, ip_address: str | None
) -> tuple[Person | None, ValidationError | None]:
    _lock_attempts_of(user=user, ip_address=ip_address)
    if Person.objects.filter(user=user).exists():  # read under the lock, not the user's cached relation
        return None, ValidationError(_("Your account is already linked to a tenant."), code="already_linked")
    if linking_is_blocked(user=user, ip_address=ip_address):
        return None, ValidationError(
            _(
                "Too many wrong tries. For your safety, please wait one hour before trying again, "
                "or ask the collective social workers for help."
            ),
            code="rate_limited",
        )
    try:
        with transaction.atomic():
            person = _link_with_code(user=user, code=code, birth_date=birth_date)
    except ValidationError as error:
        LinkingAttempt.objects.create(user=user, ip_address=ip_address, succeeded=False)
        return None, error
    LinkingAttempt.objects.create(user=user, ip_address=ip_address, succeeded=True)
    return person, None


def _link_with_code(*, user: Any, code: str, birth_date: datetime.date) -> Person:
    linking_code = (
        LinkingCode.objects.select_for_update()
        .select_related("person")
        .filter(code_hash=hash_code(code))
        .first()
    )
    if linking_code is None or linking_code.person.birth_date != birth_date:
        raise ValidationError(
            _("This code and this date of birth do not match. Please check the letter and try again."),
            code="no_match",
        )
    if linking_code.used_at is not None:
        raise ValidationError(
            _("This code has already been used. Ask the collective social workers for a new letter."),
            code="used",
        )
    if linking_code.expires_at <= timezone.now():
        raise ValidationError(
            _("This code has expired. Ask the collective social workers for a new letter."), code="expired"
        )
    person = Person.objects.select_for_update().get(pk=linking_code.person_id)
    if person.user_id is not None:
        raise ValidationError(
            _(
                "This person is already linked to another account. Please contact the collective social workers."
            ),
            code="person_taken",
        )
    person.user = user
    person.save(update_fields=["user"])
    linking_code.used_at = timezone.now()
    linking_code.save(update_fields=["used_at"])
    audit_record(
        action="account.linked", actor=user, obj=person, summary=f"Account linked with a code: {person}"
    )
    return person


@transaction.atomic
def account_link_by_worker(*, person: Person, user: Any, actor: Any) -> Person:
    """A worker links an account to a person after checking an identity document (recorded in the audit log)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is not None:
        raise ValidationError(_("This person is already linked to an account."), code="person_taken")
    if Person.objects.filter(user=user).exists():
        raise ValidationError(_("This account is already linked to a tenant."), code="already_linked")
    person.user = user
    person.save(update_fields=["user"])
    audit_record(
        action="account.linked_by_worker",
        actor=actor,
        obj=person,
        on_behalf_of=person,
        summary=f"Account {user.email} linked to {person} after an identity check",
        data={"user_id": user.pk},
    )
    return person


@transaction.atomic
def account_unlink(*, person: Person, actor: Any) -> Person:
    """Remove the link between a person and their account (the person moved out, or a mistake was made)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is None:
        raise ValidationError(_("This person has no linked account."), code="not_linked")
    person.user = None
    person.save(update_fields=["user"])
    audit_record(action="account.unlinked", actor=actor, obj=person, on_behalf_of=person, summary=str(person))
    return person
