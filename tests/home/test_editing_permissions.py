"""Collective workers edit the news in Wagtail's admin: add, publish, submit for moderation, translate."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from home.models import NewsPage
from portal import roles
from tests.home.factories import make_news, make_tenant, make_user, translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(db):
    return make_user(roles.COLLECTIVE_WORKERS)


def _news_form(title: str, slug: str, **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "date": "2026-03-01",
            "lead": "The lifts of block 9 will be repaired.",
            "image": "",
            "image_alt": "",
            "body": streamfield([("heading", {"text": "What happens", "level": "h2"})]),
            "comments": inline_formset([]),
            **extra,
        }
    )


@pytest.mark.parametrize(
    ("role", "can_enter"),
    [
        (roles.COLLECTIVE_WORKERS, True),
        # Department staff use the admin for meetings and action points, but cannot add news (tested below).
        (roles.DEPARTMENT_STAFF, True),
        (None, False),
    ],
)
def test_who_may_enter_the_admin(client, role, can_enter, peterbos):
    user = make_user(role) if role else make_user()
    if role is None:
        make_tenant(peterbos, user=user)
    client.force_login(user)
    response = client.get("/admin/")
    assert (response.status_code == 200) is can_enter


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_worker_can_write_and_publish_a_news_item(client, worker, news_index, peterbos):
    client.force_login(worker)
    url = reverse("wagtailadmin_pages:add", args=("home", "newspage", news_index.pk))
    assert client.get(url).status_code == 200
    data = {
        **_news_form("Lifts repaired", "lifts-repaired", **{"action-publish": "1"}),
        "neighbourhoods": [peterbos.pk],
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NewsPage.objects.get(slug="lifts-repaired")
    assert page.live
    assert list(page.neighbourhoods.all()) == [peterbos]


def test_a_worker_can_submit_a_news_item_for_moderation(client, worker, news_index):
    client.force_login(worker)
    url = reverse("wagtailadmin_pages:add", args=("home", "newspage", news_index.pk))
    response = client.post(url, _news_form("Heating works", "heating-works", **{"action-submit": "1"}))
    assert response.status_code == 302
    page = NewsPage.objects.get(slug="heating-works")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Moderators approval"


def test_another_worker_can_approve_a_submitted_news_item(client, worker, news_index):
    page = make_news(news_index, "Heating works", publish=False)
    page.get_workflow().start(page, worker)
    other = make_user(roles.COLLECTIVE_WORKERS)
    task_state = page.current_workflow_task_state
    assert task_state.task.specific.user_can_access_editor(page, other)
    assert "approve" in [
        action for action, _label, _modal in task_state.task.specific.get_actions(page, other)
    ]


def test_a_worker_can_upload_and_choose_images(client, worker):
    client.force_login(worker)
    assert client.get(reverse("wagtailimages:add")).status_code == 200
    assert client.get(reverse("wagtailimages_chooser:choose")).status_code == 200
    assert client.get(reverse("wagtaildocs:add")).status_code == 200


def test_a_worker_can_translate_a_news_item_into_dutch(client, worker, news_index):
    translate_page(news_index, "nl", title="Nieuws", slug="nieuws")
    page = make_news(news_index, "Potager collectif")
    client.force_login(worker)
    nl = Locale.objects.get(language_code="nl")
    response = client.post(
        reverse("simple_translation:submit_page_translation", args=(page.pk,)), {"locales": [nl.pk]}
    )
    assert response.status_code == 302
    translation = page.get_translation(nl)
    assert translation.title == "Potager collectif"
    assert not translation.live  # a draft for the worker to translate, then publish


def test_a_department_member_cannot_add_news(client, news_index):
    user = make_user(roles.DEPARTMENT_STAFF)
    client.force_login(user)
    url = reverse("wagtailadmin_pages:add", args=("home", "newspage", news_index.pk))
    assert client.get(url).status_code in (302, 403)


def test_a_worker_finds_the_news_of_a_neighbourhood_in_the_admin_news_listing(
    client, worker, news_index, marolles, peterbos
):
    make_news(news_index, "Garden opens", neighbourhoods=[marolles])
    make_news(news_index, "Lifts repaired", neighbourhoods=[peterbos])
    client.force_login(worker)
    html = client.get(reverse("news:index"), {"neighbourhoods": marolles.pk}).content.decode()
    assert "Garden opens" in html
    assert "Lifts repaired" not in html
