"""The removal of an account at its owner's request.

Each registered section's `delete` runs first (inside the same transaction), so an app removes what it may and
anonymises what it must keep (for example the application of a funded project). Then the portal removes the
account's own records. The register person stays (it belongs to the housing company) without its link to the
account; audit events keep their meaning with `actor` NULL. If a record of another app protects the account row,
the row is anonymised and deactivated instead of deleted.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from ..models import Person
from ..services import audit_record
from . import registry
from .export import subject_for


def _delete_sessions_of(user: Any) -> None:
    """Database sessions belonging to the account (decoded: Django stores the user id inside the session)."""
    user_id = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == user_id:
            session.delete()


@transaction.atomic
def account_delete(*, user: Any) -> None:
    """Remove an account and its personal data; keep what other records need, anonymised."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    subject = subject_for(user=user)
    for section in registry.registered_sections():
        if section.delete is not None:
            section.delete(subject)
    person = subject.person
    if person is not None:
        Person.objects.filter(pk=person.pk).update(user=None)
    audit_record(
        action="account.deleted",
        actor=None,
        obj=person,
        summary="Account removed at its owner's request",
    )
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    _delete_sessions_of(user)
    try:
        with transaction.atomic():
            user.delete()
    except (ProtectedError, RestrictedError):
        user.username = f"deleted-{user.pk}"
        user.email = ""
        user.first_name = user.last_name = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.organisations.clear()
        user.departments.clear()
        user.worker_assignments.all().delete()
        user.user_permissions.clear()
