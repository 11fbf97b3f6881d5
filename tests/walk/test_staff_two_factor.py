"""The second factor on every staff URL, per role, with the URL list taken from the URLconf itself.

A staff session that did not give the second factor is refused on every route of the site (ours, allauth's,
Wagtail's admin), except the few that sign in and out or set up and give the factor (`EXEMPT_VIEWS`); once the
code is given, every staff URL of the role works. Tenants and visitors are never asked for it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from portal.accounts.two_factor import EXEMPT_VIEWS

from .conftest import ROLES, STAFF_ROLES, sweep
from .routes import every_route, planned
from .walker import routes, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_required")]

#: What each role must at least reach (the walk would otherwise pass on a role that reaches nothing).
EXPECTED = {
    "worker": {
        "meetings:staff",
        "meetings:staff_agenda",
        "projectcall:export",
        "projectcall:manage_call",
        "portal_notifications:index",
        "wagtailadmin_home",
    },
    "department_staff": {"meetings:staff", "meetings:staff_propose", "meetings:staff_action_points"},
    "reviewer": {"projectcall:review_index", "wagtailadmin_home"},
    "committee": {"elections:manage", "elections:station_desk", "elections:manage_roll"},
    "administrator": {
        "elections:station_desk",
        "meetings:staff",
        "wagtailadmin_home",
        "wagtailsnippets_portal_person:list",
    },
}


def _asks_second_factor(visit_) -> bool:
    return "/accounts/2fa/" in urlsplit(visit_.location).path


def _usable(visit_) -> bool:
    """The page worked for this session: shown, downloaded, or a redirect that is not a refusal."""
    if visit_.status in (200, 405):  # 405: a POST-only action reached its view
        return True
    target = urlsplit(visit_.location).path
    if visit_.address.route.is_admin and target == "/admin/":
        return False  # Wagtail refuses an admin view by sending to the dashboard with a message
    refused = ("/accounts/login/", "/accounts/2fa/")
    return visit_.status in (301, 302) and not any(part in target for part in refused)


def staff_urls(walk_site, role: str) -> list[str]:
    """The URLs `role` uses that a linked tenant cannot: the role's staff URLs."""
    tenant = {v.address.path for v in sweep(walk_site, "linked_tenant") if _usable(v)}
    return sorted(
        {
            f"{v.address.route.label} {v.address.path}"
            for v in sweep(walk_site, role)
            if _usable(v) and v.address.path not in tenant
        }
    )


def test_every_route_of_the_portal_is_walked_with_real_objects(walk_site):
    """A new route whose parameters the walk cannot fill fails here: add its values in tests/walk/conftest.py."""
    _found, missing, _left_out = planned(walk_site.fill)
    assert not missing, f"routes without values for their parameters: {missing}"


def test_the_views_left_out_of_the_rule_exist():
    names = {route.view_name for route in routes()}
    assert names >= EXEMPT_VIEWS, EXEMPT_VIEWS - names


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_a_staff_session_without_the_second_factor_is_refused_on_every_route(walk_site, role):
    """Without an authenticator: to the set-up page, GET on every route of the site and POST on the portal's own
    routes and every page outside the admin; with one but a session that did not give its code: to the code page,
    on the portal's own routes and the pages outside the admin (Wagtail's own admin views are behind the same
    check, which looks at the session, not at the view)."""
    accounts = walk_site.staff[role]
    wrong = []
    for address in every_route():
        if address.route.view_name in EXEMPT_VIEWS:
            continue
        ours = address.route.is_ours or not address.route.is_admin
        checks = [(accounts.no_authenticator, "get", "/accounts/2fa/totp/activate/")]
        if ours:
            checks += [
                (accounts.no_authenticator, "post", "/accounts/2fa/totp/activate/"),
                (accounts.without_code, "get", "/accounts/2fa/reauthenticate/?next="),
            ]
        for client, method, target in checks:
            seen = visit(client, address, method, watch=False)
            if seen.status != 302 or target not in seen.location:
                wrong.append(f"{method.upper()} {seen}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", [r for r in STAFF_ROLES if r in ROLES])
def test_every_staff_url_of_the_role_works_once_the_code_is_given(walk_site, role, capsys):
    visits = sweep(walk_site, role)
    asked = [str(v) for v in visits if _asks_second_factor(v)]
    broken = [str(v) for v in visits if v.status >= 500]
    assert not asked, "asked for the second factor again:\n" + "\n".join(asked)
    assert not broken, "\n".join(broken)
    found = staff_urls(walk_site, role)
    reached = {line.split(" ")[0] for line in found}
    assert EXPECTED[role] <= reached, EXPECTED[role] - reached
    with capsys.disabled():
        print(f"\n{role}: {len(found)} staff URLs")
        for line in found:
            print(f"  {line}")


@pytest.mark.parametrize("role", [r for r in ROLES if r not in STAFF_ROLES])
def test_tenants_and_visitors_are_never_asked_for_the_second_factor(walk_site, role):
    asked = [str(v) for v in sweep(walk_site, role) if _asks_second_factor(v)]
    assert not asked, "\n".join(asked)
