"""Staff screens: a permission matrix per role and step, and bad input refused with a clear message."""

import datetime

import pytest
from django.core import mail

from meetings.models import AgendaItem, Meeting

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def hood():
    return f.neighbourhood("marolles-test")


@pytest.fixture
def people(hood):
    dept = f.department()
    return {
        "anonymous": None,
        "tenant": f.tenant(hood),
        "department": f.department_staff(dept),
        "other_worker": f.worker(f.neighbourhood()),
        "worker": f.worker(hood, "worker"),
        "dept": dept,
    }


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


def status_of(response) -> str:
    if response.status_code == 302:
        return "login" if "/accounts/login/" in response["Location"] else "done"
    return {200: "ok", 403: "denied"}.get(response.status_code, str(response.status_code))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("tenant", "denied"),
        ("department", "denied"),
        ("other_worker", "denied"),
        ("worker", "ok"),
    ],
)
def test_only_the_neighbourhoods_worker_opens_the_agenda_editor(client, people, hood, role, expected):
    meeting = f.meeting(hood, actor=people["worker"])
    response = as_user(client, people[role]).get(f"/en/meetings/staff/meeting/{meeting.pk}/")
    assert status_of(response) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("tenant", "denied"),
        ("department", "denied"),
        ("other_worker", "denied"),
        ("worker", "done"),
    ],
)
def test_only_the_worker_publishes_the_agenda(client, people, hood, role, expected):
    meeting = f.meeting(hood, actor=people["worker"])
    f.item(meeting)
    response = as_user(client, people[role]).post(
        f"/en/meetings/staff/meeting/{meeting.pk}/agenda/", {"action": "publish"}
    )
    assert status_of(response) == expected
    meeting.refresh_from_db()
    assert (meeting.status == Meeting.Status.AGENDA_PUBLISHED) == (expected == "done")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("tenant", "denied"),
        ("department", "ok"),
        ("other_worker", "denied"),
        ("worker", "ok"),
    ],
)
def test_department_staff_and_workers_open_the_proposal_form_during_the_window(
    client, people, hood, role, expected
):
    meeting = f.meeting(hood, actor=people["worker"])
    response = as_user(client, people[role]).get(f"/en/meetings/staff/meeting/{meeting.pk}/propose/")
    assert status_of(response) == expected


def test_department_item_after_the_deadline_is_refused_with_a_clear_message(client, people, hood):
    meeting = f.meeting(hood, actor=people["worker"], days_ahead=20)
    Meeting.objects.filter(pk=meeting.pk).update(proposal_deadline=f.today() - datetime.timedelta(days=1))
    client.force_login(people["department"])
    response = client.post(
        f"/en/meetings/staff/meeting/{meeting.pk}/propose/",
        {"title": "Ascenseur", "department": people["dept"].pk, "estimated_minutes": 10},
        follow=True,
    )
    assert "The deadline for proposals was" in response.content.decode()
    assert not meeting.items.exists()


def test_department_proposes_an_item_that_waits_for_the_workers_decision(client, people, hood):
    meeting = f.meeting(hood, actor=people["worker"])
    client.force_login(people["department"])
    response = client.post(
        f"/en/meetings/staff/meeting/{meeting.pk}/propose/",
        {
            "title": "Travaux de toiture",
            "department": people["dept"].pk,
            "presenter": "Mme Claes",
            "estimated_minutes": 15,
        },
    )
    assert response.status_code == 302
    item = meeting.items.get()
    assert (item.status, item.department, item.presenter) == (
        AgendaItem.Status.PROPOSED,
        people["dept"],
        "Mme Claes",
    )


def test_meeting_ending_before_it_starts_is_refused_next_to_the_end_time(client, people, hood):
    client.force_login(people["worker"])
    day = f.today() + datetime.timedelta(days=30)
    response = client.post(
        "/en/meetings/staff/meeting/new/",
        {
            "neighbourhood": hood.pk,
            "date": day.isoformat(),
            "starts_at": "18:00",
            "ends_at": "17:00",
            "place_name": "Salle",
            "place_address": "Rue Haute 1",
            "languages": "fr+nl",
            "invitation_days": 10,
        },
    )
    assert response.status_code == 200
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.exists()


def test_empty_minutes_are_refused_with_a_clear_message(client, people, hood):
    meeting = f.held_meeting(hood, actor=people["worker"])
    client.force_login(people["worker"])
    response = client.post(
        f"/en/meetings/staff/meeting/{meeting.pk}/record/",
        {"step": "minutes", "introduction": "", "submit_for_review": "1"},
    )
    assert "The minutes are empty" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes_status == Meeting.MinutesStatus.DRAFT


def test_a_tenant_cannot_edit_an_agenda_item(client, people, hood):
    meeting = f.meeting(hood, actor=people["worker"])
    item = f.item(meeting, title="Chauffage")
    client.force_login(people["tenant"])
    response = client.post(
        f"/en/meetings/staff/item/{item.pk}/edit/", {"title": "Autre", "estimated_minutes": 5}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title == "Chauffage"


@pytest.mark.parametrize(
    ("role", "can_approve", "can_publish"),
    [
        ("tenant", False, False),
        ("department", True, False),
        ("other_worker", False, False),
        ("worker", True, True),
    ],
)
def test_review_and_publication_of_minutes_per_role(client, people, hood, role, can_approve, can_publish):
    author = f.worker(hood)
    meeting = f.held_meeting(hood, actor=author)
    meeting.items.update(department=people["dept"])
    f.minutes_ready(meeting, author=author, reviewer=f.worker(hood))
    from meetings.models import Meeting as M

    M.objects.filter(pk=meeting.pk).update(minutes_status=M.MinutesStatus.IN_REVIEW, minutes_approved_by=None)
    as_user(client, people[role])
    client.post(f"/en/meetings/staff/meeting/{meeting.pk}/minutes/", {"action": "approve"})
    meeting.refresh_from_db()
    assert (meeting.minutes_status == M.MinutesStatus.APPROVED) == can_approve
    M.objects.filter(pk=meeting.pk).update(minutes_status=M.MinutesStatus.APPROVED)
    response = client.post(f"/en/meetings/staff/meeting/{meeting.pk}/minutes/", {"action": "publish"})
    meeting.refresh_from_db()
    assert (meeting.status == M.Status.MINUTES_PUBLISHED) == can_publish
    if not can_publish:
        assert response.status_code == 403


def test_speakers_page_lists_waiting_people_and_marks_them_spoken(client, people, hood):
    meeting = f.published_meeting(hood, actor=people["worker"])
    item = meeting.items.get()
    client.force_login(people["worker"])
    url = f"/en/meetings/staff/meeting/{meeting.pk}/speakers/"
    client.post(url, {"item": item.pk, "action": "add", "name": "Ahmed"})
    client.post(url, {"item": item.pk, "action": "add", "name": "Marie"})
    turn = item.speakers.get(name="Ahmed")
    client.post(url, {"item": item.pk, "action": "spoken", "turn": turn.pk})
    html = client.get(url + f"?item={item.pk}").content.decode()
    assert html.index("Marie") < html.index("Already spoke")
    client.force_login(people["tenant"])
    assert client.get(url).status_code == 403


def test_worker_answers_a_paper_suggestion_and_the_tenant_is_told(client, people, hood, run_tasks):
    meeting = f.meeting(hood, actor=people["worker"])
    tenant_person = people["tenant"].person
    client.force_login(people["worker"])
    client.post(
        "/en/meetings/staff/suggestions/paper/",
        {"neighbourhood": hood.pk, "title": "Boîtes aux lettres cassées", "person": tenant_person.pk},
    )
    suggestion = tenant_person.topic_suggestions.get()
    with run_tasks():
        response = client.post(
            f"/en/meetings/staff/suggestions/{suggestion.pk}/",
            {f"s{suggestion.pk}-outcome": "scheduled", f"s{suggestion.pk}-meeting": meeting.pk},
        )
    assert response.status_code == 302
    assert meeting.items.filter(title="Boîtes aux lettres cassées").exists()
    assert mail.outbox[0].to == [people["tenant"].email]


def test_department_updates_its_action_point_from_the_staff_list(client, people, hood):
    meeting = f.held_meeting(hood, actor=people["worker"])
    from meetings import services

    point = services.action_point_add(
        actor=people["worker"], meeting=meeting, description="Changer les ampoules", department=people["dept"]
    )
    client.force_login(people["department"])
    assert "Changer les ampoules" in client.get("/en/meetings/staff/action-points/").content.decode()
    client.post(
        f"/en/meetings/staff/action-point/{point.pk}/status/",
        {f"p{point.pk}-status": "in_progress", f"p{point.pk}-note": "Commandées"},
    )
    point.refresh_from_db()
    assert (point.status, point.status_note) == ("in_progress", "Commandées")
    client.force_login(people["tenant"])
    assert client.post(f"/en/meetings/staff/action-point/{point.pk}/status/", {}).status_code == 403


def test_agenda_page_shows_what_was_sent_with_a_link_to_the_letters(client, people, hood, run_tasks):
    f.household(hood)  # no e-mail: a letter
    meeting = f.meeting(hood, actor=people["worker"], days_ahead=5)
    f.item(meeting)
    client.force_login(people["worker"])
    with run_tasks():
        client.post(f"/en/meetings/staff/meeting/{meeting.pk}/agenda/", {"action": "publish"})
    from portal.notifications.models import NotificationBatch

    batch = NotificationBatch.objects.get(message="meetings/invitation")
    html = client.get(f"/en/meetings/staff/meeting/{meeting.pk}/").content.decode()
    assert f"/admin/notifications/{batch.pk}/" in html
    assert "Invitation: " in html
