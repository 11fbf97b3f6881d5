"""No page outside the Wagtail admin allows inline scripts: the Content-Security-Policy of every response of the
walk, for a visitor, a tenant and a worker (issue #12, item 10)."""

from __future__ import annotations

import re

import pytest

from .conftest import sweep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_required")]


def script_sources(header: str) -> list[str]:
    found = re.search(r"(?:^|;)\s*script-src ([^;]*)", header)
    return found.group(1).split() if found else []


@pytest.mark.parametrize("role", ["anonymous", "linked_tenant", "worker"])
def test_no_page_outside_the_admin_allows_inline_scripts(walk_site, role):
    wrong = []
    for visit in sweep(walk_site, role):
        if visit.address.route.is_admin or visit.status >= 300:
            continue
        sources = script_sources(visit.csp)
        if "'self'" not in sources or "'unsafe-inline'" in sources:
            wrong.append(f"{visit}: script-src {sources}")
    assert not wrong, "\n".join(wrong)


def renders_a_site_page(visit) -> bool:
    """Wagtail's draft and preview views render the site's page through the whole middleware stack (its own
    request, at the page's address), so they carry the site's policy (or the admin's when there is nothing to
    preview yet): both are right, they are left out."""
    return any(word in visit.address.route.label for word in ("view_draft", "preview", "revisions_view"))


def test_the_admin_keeps_its_own_policy_for_wagtails_inline_scripts(walk_site):
    admin_pages = [
        v for v in sweep(walk_site, "worker") if v.address.route.is_admin and v.status == 200 and v.csp
    ]
    assert admin_pages
    wrong = [
        f"{v}: {v.csp}"
        for v in admin_pages
        if not renders_a_site_page(v) and script_sources(v.csp) != ["'self'", "'unsafe-inline'"]
    ]
    assert not wrong, "\n".join(wrong)
