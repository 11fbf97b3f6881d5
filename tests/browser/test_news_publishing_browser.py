"""A collective worker publishes and schedules a news item in the Wagtail editor while its autosave is at work.

Wagtail's editor saves the form in the background (autosave). An autosave still on its way when the worker clicked
"Publish" used to undo the publication (the news item stayed a draft, `live=False`), and the publishing schedule's
date picker covered "Save schedule", so the click picked another day. The race is made certain here, not left to
luck: two of Wagtail's own hooks hold the autosave request on the server until the publish request has finished, or
for 3 seconds if the publish request has to wait for the autosave (which is what the fix makes it do).
"""

import datetime
import threading

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone
from wagtail import hooks
from wagtail.users.models import UserProfile

from home.demo import ensure_home_pages
from home.models import NewsPage
from portal import roles
from tests.browser.axe import assert_accessible
from tests.home.factories import make_news, make_news_index

# Wagtail's editor records the form's initial state 2 s after it opens; only later typing counts as a change.
EDITOR_SETTLES_MS = 2600


def _is_autosave(request) -> bool:
    return request.method == "POST" and "application/json" in request.headers.get("Accept", "")


@pytest.fixture(params=["fr", "nl"])
def worker(request, page, site_url):
    user = User.objects.create_user("redaction", "redaction@example.org", "a-long-password-1")
    user.groups.add(Group.objects.get(name=roles.COLLECTIVE_WORKERS))
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": request.param})
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site_url,
            }
        ]
    )
    return page


@pytest.fixture
def draft(site_url):
    index = make_news_index(ensure_home_pages()["fr"])
    return make_news(index, "Travaux de toiture", publish=False)


def _type_into_title(page, text: str) -> None:
    page.wait_for_timeout(EDITOR_SETTLES_MS)
    page.locator("#id_title").click()
    page.keyboard.press("End")
    page.keyboard.type(text, delay=20)


def test_publishing_while_an_autosave_is_on_its_way_leaves_the_news_item_live(worker, draft, site_url):
    page = worker
    held, published, autosave_done = threading.Event(), threading.Event(), threading.Event()

    def hold_the_first_autosave(request, edited_page):
        if _is_autosave(request) and not held.is_set():
            held.set()
            published.wait(timeout=3)

    def autosave_finished(request, edited_page):
        if _is_autosave(request):
            autosave_done.set()

    def publish_finished(request, edited_page):
        published.set()

    with hooks.register_temporarily(
        [
            ("before_edit_page", hold_the_first_autosave),
            ("after_edit_page", autosave_finished),
            ("after_publish_page", publish_finished),
        ]
    ):
        page.goto(f"{site_url}/admin/pages/{draft.pk}/edit/")
        _type_into_title(page, " : début lundi")
        assert held.wait(timeout=10), "the editor did not autosave the change"
        page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
        page.locator("button[name=action-publish]").click()
        page.wait_for_url(f"**/admin/pages/{draft.get_parent().pk}/")
        assert autosave_done.wait(timeout=10)

    news = NewsPage.objects.get(pk=draft.pk)
    assert news.live, "the autosave undid the publication"
    assert news.title == "Travaux de toiture : début lundi"
    assert not news.has_unpublished_changes
    assert news.live_revision_id == news.latest_revision_id
    page.goto(site_url + news.url)
    assert page.locator("h1").inner_text() == "Travaux de toiture : début lundi"
    assert_accessible(page)


def test_a_schedule_saved_after_an_autosave_keeps_the_date_typed(worker, draft, site_url):
    page = worker
    go_live = (timezone.localtime() + datetime.timedelta(days=1)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    page.goto(f"{site_url}/admin/pages/{draft.pk}/edit/")
    with page.expect_response(
        lambda response: (
            response.request.method == "POST" and "json" in response.request.headers.get("accept", "")
        )
    ):
        _type_into_title(page, " (toiture)")  # and the autosave has gone and come back

    page.locator("[data-side-panel-toggle='status']").click()
    page.locator("[data-a11y-dialog-show='schedule-publishing-dialog']").first.click()
    field = page.locator("#id_go_live_at")
    field.fill(go_live.strftime("%Y-%m-%dT%H:%M"))
    # Playwright clicks only what the pointer would reach: a date picker left open over the button fails here.
    page.locator("#schedule-publishing-dialog button[type=submit]").click(timeout=5000)
    page.wait_for_load_state()
    page.locator("[data-side-panel-toggle='status']").click()

    news = NewsPage.objects.get(pk=draft.pk)
    revision = news.get_latest_revision_as_object()
    assert timezone.localtime(revision.go_live_at) == go_live
    assert revision.title == "Travaux de toiture (toiture)"
    panel = page.locator("[data-side-panel='status']").inner_text()
    assert str(go_live.day) in panel and str(go_live.year) in panel
