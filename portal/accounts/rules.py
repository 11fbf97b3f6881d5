"""Accounts: named permissions of the account pages, and the two-factor rule for staff.

Staff (collective workers, department staff, reviewers, election committee, administrators) must use two-factor
authentication (allauth.mfa, TOTP + recovery codes). `StaffMFAMiddleware` sends a staff member who has not set it
up to the set-up page when they open the admin (/admin/), a path listed in `PORTAL_STAFF_PATH_PREFIXES`, or a view
decorated with `staff_page`. Switched by `PORTAL_REQUIRE_STAFF_MFA` (off in `portal.settings.dev` so that the demo
administrator of `make run` logs in directly).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .. import roles
from ..models import Neighbourhood, Organisation, Person
from ..permissions import (
    is_administrator,
    is_collective_worker,
    person_for,
    worker_covers,
)


def is_staff_member(user: Any) -> bool:
    """Anyone with a staff role (any role group), a Django staff flag or superuser status."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return user.groups.filter(name__in=roles.ROLE_GROUPS).exists()


def staff_needs_mfa_setup(user: Any) -> bool:
    """A staff member who has not set up an authenticator app yet (when the rule is switched on)."""
    if not settings.PORTAL_REQUIRE_STAFF_MFA or not is_staff_member(user):
        return False
    return not is_mfa_enabled(user, [Authenticator.Type.TOTP])


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


# The two-factor rule for staff.


def staff_page(view: Callable) -> Callable:
    """Mark a view as a staff page: staff members without two-factor authentication are sent to set it up."""
    view.portal_staff_page = True
    return view


def _language_free_path(path: str) -> str:
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def is_staff_path(path: str) -> bool:
    if path.startswith("/admin/logout/"):
        return False
    if path.startswith("/admin/"):
        return True
    bare = _language_free_path(path)
    return any(bare.startswith(prefix) for prefix in settings.PORTAL_STAFF_PATH_PREFIXES)


class StaffMFAMiddleware:
    """Redirect staff without two-factor authentication from staff pages to the set-up page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs):
        guarded = is_staff_path(request.path_info) or getattr(view_func, "portal_staff_page", False)
        if guarded and staff_needs_mfa_setup(request.user):
            messages.warning(
                request,
                _(
                    "Staff members must protect their account with two-factor authentication. "
                    "Please set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return None
