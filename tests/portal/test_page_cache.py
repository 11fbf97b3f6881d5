"""The anonymous page cache: a second visit costs no query, a change of public content shows at once, and nothing
personal or with a form is ever served from it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import AuditEvent
from tests.home.factories import make_news, make_news_index, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def news(home_pages):
    return make_news(make_news_index(home_pages["fr"]), "Potager collectif")


def test_a_second_anonymous_visit_is_served_from_the_cache_without_a_query(client, news):
    first = client.get(news.url)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(news.url)
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert second.content == first.content
    # The headers set by the inner middleware come back with the stored page.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Content-Language"] == "fr"


def test_publishing_a_change_shows_on_the_next_visit(client, news, django_capture_on_commit_callbacks):
    client.get(news.url)
    assert client.get(news.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        news.title = "Potager collectif: inauguration samedi"
        news.save_revision().publish()
    response = client.get(news.url)
    assert response["X-Page-Cache"] == "miss"
    assert "inauguration samedi" in response.content.decode()


def test_a_new_meeting_retires_the_meetings_list(client, home_pages, django_capture_on_commit_callbacks):
    from tests.meetings import factories as mf

    worker = mf.worker()
    client.get("/fr/meetings/")
    assert client.get("/fr/meetings/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        meeting = mf.published_meeting(actor=worker)
    response = client.get("/fr/meetings/")
    assert response["X-Page-Cache"] == "miss"
    assert meeting.title in response.content.decode()


def test_private_writes_such_as_audit_lines_keep_the_pages(client, news, django_capture_on_commit_callbacks):
    client.get(news.url)
    with django_capture_on_commit_callbacks(execute=True):
        AuditEvent.objects.create(action="test.logged", summary="Something private happened")
    assert client.get(news.url)["X-Page-Cache"] == "hit"


def test_a_rolled_back_change_retires_nothing(client, news, django_capture_on_commit_callbacks):
    from django.db import transaction

    client.get(news.url)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                news.title = "Never published"
                news.save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    response = client.get(news.url)
    assert response["X-Page-Cache"] == "hit"
    assert "Never published" not in response.content.decode()


def test_a_logged_in_visitor_gets_a_fresh_page_with_the_log_out_button(client, news):
    client.get(news.url)
    client.force_login(make_user())
    response = client.get(news.url)
    assert "X-Page-Cache" not in response
    assert 'action="/fr/accounts/logout/"' in response.content.decode()


def test_pages_with_a_form_are_never_stored_so_their_csrf_token_stays_valid(client, home_pages):
    client.get("/fr/accounts/login/")
    response = client.get("/fr/accounts/login/")
    assert "X-Page-Cache" not in response
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_an_address_outside_the_language_prefixes_is_not_cached(client, home_pages):
    assert "X-Page-Cache" not in client.get("/health/")


def test_off_when_the_setting_is_zero(client, news, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    client.get(news.url)
    assert "X-Page-Cache" not in client.get(news.url)


def test_the_news_menu_address_is_kept_until_the_news_list_moves(
    client, news, django_capture_on_commit_callbacks
):
    """Logged-in pages are rendered each time, but the menu's "News" address comes from the cache; renaming the
    news list's address shows in the menu at once."""
    client.force_login(make_user())
    assert 'href="/fr/actualites/"' in client.get("/fr/meetings/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get("/fr/meetings/")
    assert not any("home_newsindexpage" in query["sql"] for query in queries)
    index = news.get_parent().specific
    with django_capture_on_commit_callbacks(execute=True):
        index.slug = "nouvelles"
        index.save_revision().publish()
    assert 'href="/fr/nouvelles/"' in client.get("/fr/meetings/").content.decode()
