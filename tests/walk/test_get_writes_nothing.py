"""No view writes on GET: every route of the URLconf, requested with GET as each role, changes no row.

Writes are read from PostgreSQL's per-transaction counters (`pg_stat_xact_user_tables`: rows inserted, updated or
deleted, rolled-back savepoints included), so an update that leaves the row count alone, or an insert undone by an
error, shows too; work queued for after the commit (`transaction.on_commit`: e-mails, tasks) is counted as well.

Tables a GET legitimately touches, left out:
- `django_session`: the session itself (login records, messages, allauth's state, the CSRF-free language choice);
- `captcha_captchastore`: a form with a captcha stores its challenge when it is shown (that is how it checks the
  answer later), and `captcha/refresh/` makes a new one;
- Wagtail's own bookkeeping: `wagtailusers_userprofile` (a staff member's admin preferences, made on their first
  admin page), `wagtailimages_rendition` (a resized image, made the first time a page shows it: a cache),
  `wagtailadmin_editingsession` (the "also editing this" notice of an edit form) and `wagtailcore_pagesubscription`
  (comment notifications, subscribed when the page editor opens).
Every table of the portal's own apps counts.
"""

from __future__ import annotations

import pytest

from .conftest import ROLES, sweep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_required")]

GET_MAY_TOUCH = {
    "django_session",
    "captcha_captchastore",
    "wagtailusers_userprofile",
    "wagtailimages_rendition",
    "wagtailadmin_editingsession",
    "wagtailcore_pagesubscription",
}


@pytest.mark.parametrize("role", ROLES)
def test_no_get_writes_to_the_database(walk_site, role):
    visits = sweep(walk_site, role)
    writing = [
        f"{v}: {writes}"
        for v in visits
        if (writes := {table: n for table, n in v.writes.items() if table not in GET_MAY_TOUCH})
    ]
    queued = [f"{v}: {v.on_commit} callback(s) for the commit" for v in visits if v.on_commit]
    assert len(visits) > 300
    assert not writing + queued, "\n".join(writing + queued)
