"""Applications and ideas change only through the services: read-only in the Wagtail admin (issue #12, item 4)."""

import pytest

from projectcall import services
from projectcall.models import Application, Idea

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    root = f.user("root-door")
    root.is_superuser = root.is_staff = True
    root.save()
    client.force_login(root)
    return client


def refused(response) -> bool:
    """Wagtail answers a refused admin action with a redirect to the dashboard (and a message), or 403/404."""
    return response.status_code in {403, 404} or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def test_an_application_cannot_be_edited_added_or_deleted_in_the_admin(admin_client):
    the_call = f.call(phase="open")
    app = f.submitted(the_call, f.user())
    base = "/admin/snippets/projectcall/application"
    assert refused(admin_client.post(f"{base}/edit/{app.pk}/", {"title": "Autre titre", "summary": "x"}))
    assert refused(admin_client.post(f"{base}/delete/{app.pk}/"))
    admin_client.post(f"{base}/add/", {"title": "Sans service", "summary": "x"})
    assert Application.objects.get().title == app.title
    listing = admin_client.get(f"{base}/").content.decode()
    assert f"{base}/add/" not in listing
    inspect = admin_client.get(f"{base}/inspect/{app.pk}/")
    assert inspect.status_code == 200
    assert f"/projects/application/{app.pk}/" in inspect.content.decode()


def test_an_idea_is_answered_on_the_workers_screen_not_in_the_admin(admin_client):
    idea = services.idea_submit(title="Un banc", description="Devant le bloc 2", name="Anne")
    base = "/admin/snippets/projectcall/idea"
    assert refused(
        admin_client.post(
            f"{base}/edit/{idea.pk}/", {"title": "Un banc", "answer": "Non", "status": "answered"}
        )
    )
    assert refused(admin_client.post(f"{base}/delete/{idea.pk}/"))
    idea.refresh_from_db()
    assert (idea.answer, idea.status) == ("", Idea.Status.NEW)
    inspect = admin_client.get(f"{base}/inspect/{idea.pk}/").content.decode()
    assert f"/projects/manage/ideas/{idea.pk}/" in inspect


def test_a_draft_without_a_title_shows_in_the_admins_chooser(admin_client):
    the_call = f.call(phase="open")
    services.application_create(call=the_call, actor=f.user())
    response = admin_client.get("/admin/snippets/choose/projectcall/application/")
    assert response.status_code == 200
    assert "Draft application" in response.content.decode() or "Brouillon" in response.content.decode()
