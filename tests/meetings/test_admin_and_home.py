"""Wagtail wiring: the home page slot with the next meetings, the admin menu item and record lists."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from wagtail import hooks

from . import factories as f

pytestmark = pytest.mark.django_db


def test_home_slot_shows_the_next_meetings_and_nothing_when_none_is_planned():
    [slot_hook] = [
        fn for fn in hooks.get_hooks("portal_home_slots") if fn.__module__ == "meetings.wagtail_hooks"
    ]
    request = RequestFactory().get("/fr/")
    assert slot_hook(request, None) is None
    hood = f.neighbourhood()
    meeting = f.published_meeting(hood, actor=f.worker(hood))
    slot = slot_hook(request, None)
    assert slot["order"] == 10
    html = render_to_string(slot["template"], slot["context"], request=request)
    assert meeting.get_absolute_url() in html and "Chauffage" in html


def test_admin_menu_links_workers_and_department_staff_to_the_meeting_screens(client):
    hood = f.neighbourhood()
    client.force_login(f.worker(hood))
    html = client.get("/admin/").content.decode()
    assert "/meetings/staff/" in html
    assert client.get("/admin/meeting_records/").status_code == 200
    assert client.get("/admin/meeting_action_points/").status_code == 200
    client.force_login(f.department_staff())
    assert "/meetings/staff/" in client.get("/admin/").content.decode()
    client.force_login(f.tenant(hood))
    assert client.get("/admin/meeting_records/").status_code in {302, 403}
