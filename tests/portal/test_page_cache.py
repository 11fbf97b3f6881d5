"""The anonymous page cache: a second visit costs no query, a change of public content shows at once, and nothing
personal or with a form is ever served from it."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import AuditEvent
from tests.home.factories import make_news, make_news_index, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 60
    for alias in ("default", "pages"):
        caches[alias].clear()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()


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


# --- Query strings: only the parameters a list declares, with the values it rendered ---------------------------


@pytest.fixture
def news_list(home_pages):
    index = make_news_index(home_pages["fr"])
    for number in range(11):  # two pages of ten
        make_news(index, f"Nouvelle {number}")
    return index


def _stored_twice(client, address):
    """Whether the second visit of `address` is served from the cache (the first one stored it)."""
    first = client.get(address)
    assert first.status_code == 200
    return client.get(address).get("X-Page-Cache") == "hit"


def test_a_page_number_of_a_list_is_stored(client, news_list):
    assert _stored_twice(client, f"{news_list.url}?page=2")


@pytest.mark.parametrize(
    "query",
    [
        "?utm_source=newsletter",  # a parameter the list does not know
        "?page=2&utm_source=newsletter",
        "?page=999",  # past the end: the paginator shows the last page
        "?page=abc",
        "?page=2&page=3",
        "?q=potager",  # a search: every visitor types another one
        "?neighbourhood=nowhere",  # not a neighbourhood
    ],
)
def test_any_other_query_string_is_served_but_never_stored(client, news_list, query):
    assert not _stored_twice(client, news_list.url + query)
    assert "X-Page-Cache" not in client.get(news_list.url + query)


def test_the_order_of_the_parameters_does_not_make_another_copy(client, news_list):
    client.get(f"{news_list.url}?page=2&q=")
    assert client.get(f"{news_list.url}?q=&page=2")["X-Page-Cache"] == "hit"


def test_a_documented_filter_of_the_action_points_is_stored_an_unknown_value_is_not(client, home_pages):
    from tests.portal.accounts_factories import make_neighbourhood

    hood = make_neighbourhood()
    address = f"/fr/meetings/{hood.slug}/action-points/"
    assert _stored_twice(client, f"{address}?status=done")
    assert not _stored_twice(client, f"{address}?status=anything")


def test_the_gallery_stores_known_years_and_neighbourhoods_only(client, home_pages):
    from tests.portal.accounts_factories import make_neighbourhood

    hood = make_neighbourhood()
    assert _stored_twice(client, f"/fr/projects/gallery/?neighbourhood={hood.pk}")
    assert not _stored_twice(client, f"/fr/projects/gallery/?neighbourhood={hood.pk + 1000}")
    assert not _stored_twice(client, "/fr/projects/gallery/?year=1999")


# --- Its own key space ------------------------------------------------------------------------------------------


def test_pages_live_in_their_own_cache_apart_from_the_rate_limit_counters(client, news):
    client.get(news.url)
    caches["default"].clear()  # rate-limit counters gone: the stored page stays
    assert client.get(news.url)["X-Page-Cache"] == "hit"
    caches["pages"].clear()
    assert client.get(news.url)["X-Page-Cache"] == "miss"


# --- Private models are declared by their apps ------------------------------------------------------------------


def test_each_app_declares_its_private_models_on_its_app_config():
    from django.apps import apps

    from portal import page_cache

    content_apps, private = page_cache.watched_models()
    assert {"home", "meetings", "projectcall", "elections", "portal", "wagtailcore"} <= content_apps
    assert "elections.participation" in private and "portal.delivery" in private
    assert "elections.election" not in private
    for label, config_private in [("elections", "ballot"), ("portal", "auditevent")]:
        assert config_private in apps.get_app_config(label).page_cache_private_models
    assert page_cache.check_declarations() == []


def test_a_declared_model_that_does_not_exist_fails_the_system_check(monkeypatch):
    from django.apps import apps

    from portal import page_cache

    monkeypatch.setattr(apps.get_app_config("meetings"), "page_cache_private_models", ("nosuchmodel",))
    page_cache.watched_models.cache_clear()
    try:
        [error] = page_cache.check_declarations()
        assert error.id == "portal.E101" and "meetings.nosuchmodel" in error.msg
    finally:
        monkeypatch.undo()
        page_cache.watched_models.cache_clear()


def test_a_write_of_a_declared_private_model_retires_nothing_and_a_public_one_does(
    django_capture_on_commit_callbacks,
):
    from elections.models import Election, Participation
    from portal import page_cache

    with django_capture_on_commit_callbacks() as callbacks:
        page_cache._on_model_change(Participation)
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        page_cache._on_model_change(Election)
    assert len(callbacks) == 1
