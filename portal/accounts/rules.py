"""Accounts: named permissions of the account pages (the two-factor rule for staff is in `two_factor`)."""

from __future__ import annotations

from typing import Any

from ..models import Neighbourhood, Organisation, Person
from ..permissions import (
    is_administrator,
    is_collective_worker,
    person_for,
    worker_covers,
)

# Named permissions of the account pages (used by views and templates).


def can_use_my_account(user: Any) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def can_link_account(user: Any) -> bool:
    """Any account not linked yet may try to link itself to a tenant with a code."""
    return can_use_my_account(user) and person_for(user) is None


def can_see_own_data(user: Any) -> bool:
    return can_use_my_account(user)


def can_delete_account(user: Any) -> bool:
    """Superusers are removed by another administrator, not by themselves (the site must keep one)."""
    return can_use_my_account(user) and not user.is_superuser


def can_act_on_behalf_of(user: Any, person: Person | None = None) -> bool:
    """A collective worker acts for a tenant without e-mail, within the neighbourhoods they cover."""
    if not is_collective_worker(user):
        return False
    if person is None:
        return True
    return worker_covers(user, person.household.dwelling.building.site.neighbourhood)


def can_link_for_tenant(user: Any, person: Person | None = None) -> bool:
    return can_act_on_behalf_of(user, person)


def can_issue_linking_codes(user: Any, neighbourhood: Neighbourhood | None = None) -> bool:
    if neighbourhood is None:
        return is_collective_worker(user)
    return worker_covers(user, neighbourhood)


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    """Members edit their organisation's profile; collective workers and administrators too."""
    if not can_use_my_account(user):
        return False
    if is_administrator(user) or is_collective_worker(user):
        return True
    return organisation.members.filter(pk=user.pk).exists()


def persons_covered_by(user: Any):
    """Current tenants of the neighbourhoods a worker covers (all of them for administrators or unassigned)."""
    persons = Person.objects.current().select_related("household__dwelling__building__site__neighbourhood")
    if is_administrator(user):
        return persons
    if not is_collective_worker(user):
        return persons.none()
    assigned = list(user.worker_assignments.values_list("neighbourhood_id", flat=True))
    if assigned:
        persons = persons.filter(household__dwelling__building__site__neighbourhood__in=assigned)
    return persons
