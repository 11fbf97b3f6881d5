"""One write at a time per Wagtail page in the admin.

Wagtail's editor autosaves the form in the background while the worker types. An autosave request that is still on
its way when the worker clicks "Publish" used to undo the publication: both requests read the page before either
wrote, the publish wrote `live=True`, then the autosave saved its older copy of the page (`live=False`) and an older
revision on top (Wagtail's own out-of-date check runs before either request writes, so it passes for both).

`PageWriteLockMiddleware` takes a row lock on the page for every POST to the admin views that write a page
(edit, publish through edit, unpublish, delete, move, copy, revisions) before the view reads anything, and holds it
until the response is ready: the second request then reads what the first one committed, and Wagtail's check refuses
a stale autosave ("Saving will overwrite a newer version"). On SQLite (`make run`), `select_for_update` does nothing;
the database is configured there to take its write lock at the start of each transaction
(`portal.settings.base`, "transaction_mode"), which serialises the same writes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

_PAGE_WRITE = re.compile(r"^/admin/pages/(?P<page_id>\d+)/(edit|unpublish|delete|move|copy|revisions)/")


def page_written_by(request: HttpRequest) -> int | None:
    """The id of the page an admin POST writes, or None for any other request."""
    if request.method != "POST":
        return None
    match = _PAGE_WRITE.match(request.path_info)
    return int(match["page_id"]) if match else None


class PageWriteLockMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        page_id = page_written_by(request)
        if page_id is None:
            return self.get_response(request)
        from wagtail.models import Page

        with transaction.atomic():
            # Locks the row (or nothing, for an unknown id: the view then answers 404 as usual).
            list(Page.objects.select_for_update().filter(pk=page_id).values_list("pk", flat=True))
            response = self.get_response(request)
            if response.status_code >= 500:
                # The view failed (Django already turned the exception into a response): keep nothing of it.
                transaction.set_rollback(True)
            return response
