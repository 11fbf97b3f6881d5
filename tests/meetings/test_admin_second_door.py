"""The Wagtail admin is no second door into meetings (issue #12, item 4): a meeting's admin edit form goes through
`meeting_update`; suggestions and action points are read-only there, with links to the staff screens."""

import datetime

import pytest

from meetings import services
from meetings.models import ActionPoint, Meeting, TopicSuggestion
from portal.models import AuditEvent
from portal.notifications.models import NotificationBatch

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def hood():
    return f.neighbourhood("marolles-admin")


@pytest.fixture
def worker(hood):
    return f.worker(hood, "worker-admin")


def refused(response) -> bool:
    """Wagtail answers a refused admin action with a redirect to the dashboard (and a message), or 403/404."""
    return response.status_code in {403, 404} or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def form_data(meeting: Meeting, **changes) -> dict:
    data = {
        "title": meeting.title,
        "date": meeting.date.isoformat(),
        "starts_at": meeting.starts_at.strftime("%H:%M"),
        "ends_at": meeting.ends_at.strftime("%H:%M"),
        "place_name": meeting.place_name,
        "place_address": meeting.place_address,
        "accessibility": meeting.accessibility,
        "online_url": meeting.online_url,
        "languages": meeting.languages,
        "proposal_deadline": meeting.proposal_deadline.isoformat(),
        "invitation_days": meeting.invitation_days,
    }
    data.update(
        {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in changes.items()}
    )
    return data


def test_editing_a_held_meetings_date_in_the_admin_is_refused_with_the_services_message(client, hood, worker):
    held = f.held_meeting(hood, actor=worker)
    client.force_login(worker)
    response = client.post(
        f"/admin/meeting_records/edit/{held.pk}/",
        form_data(held, date=held.date + datetime.timedelta(days=7)),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "A meeting that was held or cancelled can no longer be changed." in response.content.decode()
    held.refresh_from_db()
    assert held.date == f.today() - datetime.timedelta(days=1)
    assert not AuditEvent.objects.filter(action="meetings.meeting_updated").exists()


def test_moving_an_announced_meeting_in_the_admin_tells_the_tenants_and_is_audited(
    client, hood, worker, django_capture_on_commit_callbacks
):
    f.household(hood, email="fatima@example.org")
    meeting = f.published_meeting(hood, actor=worker, days_ahead=5)
    services.meeting_send_invitation(meeting=meeting, actor=worker)
    client.force_login(worker)
    new_date = meeting.date + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            f"/admin/meeting_records/edit/{meeting.pk}/", form_data(meeting, date=new_date)
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.date == new_date
    assert NotificationBatch.objects.filter(message="meetings/change").count() == 1
    event = AuditEvent.objects.get(action="meetings.meeting_updated")
    assert (event.actor, event.data) == (worker, {"date": str(new_date)})
    assert client.get(f"/admin/meeting_records/history/{meeting.pk}/").status_code == 200


def test_a_worker_of_another_neighbourhood_cannot_change_the_meeting_from_the_admin(client, hood, worker):
    meeting = f.meeting(hood, actor=worker)
    client.force_login(f.worker(f.neighbourhood(), "worker-elsewhere"))
    response = client.post(
        f"/admin/meeting_records/edit/{meeting.pk}/",
        form_data(meeting, place_name="Ailleurs"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Only the collective workers of this neighbourhood can do this." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.place_name == "Salle communautaire"


def test_meetings_are_not_added_copied_or_deleted_in_the_admin(client, hood, worker):
    meeting = f.meeting(hood, actor=worker)
    client.force_login(f.user("admin-door", is_superuser=True, is_staff=True))
    listing = client.get("/admin/meeting_records/").content.decode()
    assert "/admin/meeting_records/add/" not in listing
    assert client.post("/admin/meeting_records/add/", form_data(meeting)).status_code in {302, 403, 404}
    assert Meeting.objects.count() == 1
    assert refused(client.post(f"/admin/meeting_records/delete/{meeting.pk}/"))
    assert client.get(f"/admin/meeting_records/copy/{meeting.pk}/", follow=True).status_code == 404
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    inspect = client.get(f"/admin/meeting_records/inspect/{meeting.pk}/").content.decode()
    assert f"/meetings/staff/meeting/{meeting.pk}/" in inspect


def test_suggestions_are_read_only_in_the_admin_and_link_to_the_answer_screen(client, hood, worker):
    suggestion = services.suggestion_submit(
        neighbourhood=hood, title="Bancs", channel=TopicSuggestion.Channel.PAPER
    )
    client.force_login(worker)
    assert refused(client.post(f"/admin/meeting_suggestions/edit/{suggestion.pk}/", {"title": "Autre"}))
    assert refused(client.post(f"/admin/meeting_suggestions/delete/{suggestion.pk}/"))
    client.post("/admin/meeting_suggestions/add/", {"title": "Nouveau"})
    assert TopicSuggestion.objects.count() == 1
    suggestion.refresh_from_db()
    assert suggestion.title == "Bancs"
    assert client.get("/admin/meeting_suggestions/").status_code == 200
    inspect = client.get(f"/admin/meeting_suggestions/inspect/{suggestion.pk}/").content.decode()
    assert f"/meetings/staff/suggestions/{suggestion.pk}/" in inspect


def test_action_points_are_read_only_in_the_admin_and_link_to_the_staff_screen(client, hood, worker):
    held = f.held_meeting(hood, actor=worker)
    point = services.action_point_add(actor=worker, meeting=held, description="Porte", responsible="Régie")
    client.force_login(worker)
    edit = client.post(
        f"/admin/meeting_action_points/edit/{point.pk}/", {"description": "Autre", "responsible": "X"}
    )
    assert refused(edit)
    assert refused(client.post(f"/admin/meeting_action_points/delete/{point.pk}/"))
    assert ActionPoint.objects.get(pk=point.pk).description == "Porte"
    inspect = client.get(f"/admin/meeting_action_points/inspect/{point.pk}/").content.decode()
    assert f"/meetings/staff/action-points/#point-{point.pk}" in inspect
