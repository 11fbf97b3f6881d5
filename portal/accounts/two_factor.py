"""The second factor for staff, and the admin's door for everybody else.

Staff (collective workers, department staff, reviewers, the election committee, administrators: anyone with a role
group, Django's staff flag or superuser status) must use two-factor authentication (allauth.mfa: an authenticator
app, with recovery codes) when `PORTAL_REQUIRE_STAFF_MFA` is on (the default; off in `portal.settings.dev` so that
the demo logins of `make run` work directly).

The rule is about the account, not about a list of pages: a staff member's session is usable only once the second
factor was given in it. Staff powers show on pages that are not "staff pages" (a draft election, an application's
private thread, an attachment, "my data" on behalf of a tenant), so a list of staff views or paths would be one view
away from being incomplete; an account rule cannot forget a view. `StaffMFAMiddleware` therefore sends every request
of a staff session that has not passed the second factor, whatever view it asks for, to:

- the set-up page (`mfa_activate_totp`) when the account has no authenticator yet;
- the code page (`mfa_reauthenticate`, back to the page asked for afterwards) when it has one but the session was
  opened without it: allauth's login asks for the code, but other ways in do not (Wagtail's own login form at
  /admin/login/, which `portal.urls` now sends to allauth's, or any future one).

Only the views a person needs to log in, log out and set up or give the second factor are left out
(`EXEMPT_VIEWS`). Passing the second factor is read from allauth's record of how this session authenticated (an
"mfa" entry, written by allauth's code step, and by `record_activation` when the authenticator is set up in the
session). Tenants and visitors are never asked for it.

`AdminDoorMiddleware`: a signed-in person without access to the Wagtail admin (a tenant) who opens /admin/ gets a
clear refusal page with a link to their account, instead of Wagtail's redirect to the login page, which allauth
sends straight back to /admin/ for someone already signed in (a loop).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..permissions import has_staff_role

#: Views a staff member reaches before giving the second factor: sign in and out, set it up or give it.
EXEMPT_VIEWS = frozenset(
    {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "account_confirm_email",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "portal_admin_login",
        "portal_admin_logout",
        "switch_language",
        "health",
    }
)

#: Admin views a signed-in person without admin access may still open (leaving it).
ADMIN_DOOR_EXEMPT_VIEWS = frozenset({"portal_admin_login", "portal_admin_logout"})


def has_passed_second_factor(request: HttpRequest) -> bool:
    """This session was authenticated with a second factor (allauth's record of the session's logins)."""
    records = get_authentication_records(request, getattr(request, "user", None))
    return any(record.get("method") == "mfa" for record in records)


def has_authenticator(user: Any) -> bool:
    """An authenticator app (or, later, a security key): recovery codes alone are not a way to log in."""
    return Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.RECOVERY_CODES).exists()


def staff_needs_mfa_setup(user: Any) -> bool:
    """A staff member who has not set up an authenticator app yet (when the rule is switched on)."""
    if not settings.PORTAL_REQUIRE_STAFF_MFA or not has_staff_role(user):
        return False
    return not has_authenticator(user)


def second_factor_missing(request: HttpRequest) -> str | None:
    """What a request still needs before a staff member may use the portal: "setup", "code", or None."""
    if not settings.PORTAL_REQUIRE_STAFF_MFA:
        return None
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return None
    # The session record first: it costs no query, and staff who passed the second factor are most requests.
    if has_passed_second_factor(request) or not has_staff_role(user):
        return None
    return "code" if has_authenticator(user) else "setup"


def record_activation(
    sender: Any, request: HttpRequest | None, user: Any, authenticator: Authenticator, **kwargs
):
    """Receiver of allauth's `authenticator_added`: setting up an authenticator app means typing a valid code from
    it, which proves the second factor for this session as the login's code step would."""
    if request is None or authenticator.type == Authenticator.Type.RECOVERY_CODES:
        return
    if getattr(request, "user", None) is None or request.user.pk != user.pk:
        return
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)


class StaffMFAMiddleware:
    """Send a staff session without the second factor to set it up or to give it (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        missing = second_factor_missing(request)
        if missing == "setup":
            messages.warning(
                request,
                _(
                    "Staff members must protect their account with two-factor authentication. "
                    "Please set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        if missing == "code":
            messages.warning(
                request, _("Please confirm it is you with the code of your authenticator app to continue.")
            )
            return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return None


class AdminDoorMiddleware:
    """A signed-in person without access to the Wagtail admin gets a refusal page at /admin/, not a login loop."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if not request.path_info.startswith("/admin/") or not getattr(user, "is_authenticated", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ADMIN_DOOR_EXEMPT_VIEWS:
            return None
        if user.has_perm("wagtailadmin.access_admin"):
            return None
        return render(request, "portal/admin_refused.html", status=403)
