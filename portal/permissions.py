"""Role predicates shared by every app. Domain apps build their named permissions (`can_publish_minutes`...)
in their own `permissions.py` on top of these. Superusers count as administrators.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from . import roles
from .models import Neighbourhood, Person


def _groups(user: Any) -> set[str]:
    """The names of the user's groups, read once per request (cached on the user object)."""
    cache = getattr(user, "_portal_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._portal_groups = cache
    return cache


def _in_group(user: Any, group: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = _groups(user)
    return group in cache or roles.ADMINISTRATORS in cache


def has_staff_role(user: Any) -> bool:
    """Anyone with a staff role (any role group), Django's staff flag or superuser status: the accounts that must
    use two-factor authentication (`portal.accounts.two_factor`)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.is_staff or bool(_groups(user) & set(roles.ROLE_GROUPS))


def is_administrator(user: Any) -> bool:
    return _in_group(user, roles.ADMINISTRATORS)


def is_collective_worker(user: Any) -> bool:
    return _in_group(user, roles.COLLECTIVE_WORKERS)


def is_department_staff(user: Any) -> bool:
    return _in_group(user, roles.DEPARTMENT_STAFF)


def is_reviewer(user: Any) -> bool:
    return _in_group(user, roles.REVIEWERS)


def is_election_committee(user: Any) -> bool:
    return _in_group(user, roles.ELECTION_COMMITTEE)


def person_for(user: Any) -> Person | None:
    """The register person linked to this account, if any (whether or not still a tenant)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def is_linked_tenant(user: Any) -> bool:
    """An account linked to a person who lives in a dwelling of the company today."""
    person = person_for(user)
    return person is not None and Person.objects.current(timezone.localdate()).filter(pk=person.pk).exists()


def worker_covers(user: Any, neighbourhood: Neighbourhood) -> bool:
    """A collective worker acts on a neighbourhood they are assigned to; administrators on all of them.

    A worker with no assignment at all covers every neighbourhood (small companies do not split the work).
    """
    if is_administrator(user):
        return True
    if not is_collective_worker(user):
        return False
    assigned = set(user.worker_assignments.values_list("neighbourhood_id", flat=True))
    return not assigned or neighbourhood.pk in assigned


def can_manage_register(user: Any) -> bool:
    """Import the rental system's export and edit the tenant register: collective workers and administrators."""
    return is_collective_worker(user) or is_administrator(user)
