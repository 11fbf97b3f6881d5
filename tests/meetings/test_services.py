"""The meeting cycle through its services: planning, agenda, invitation, recording, minutes, action points."""

import datetime
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import selectors, services
from meetings.models import ActionPoint, AgendaItem, Meeting, SpeakerTurn, TopicSuggestion
from portal.models import AuditEvent
from portal.notifications.models import Channel, Delivery, NotificationBatch

from . import factories as f

pytestmark = pytest.mark.django_db


def pdf_text(path: str) -> str:
    return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607


@pytest.fixture
def hood():
    return f.neighbourhood("marolles-test")


@pytest.fixture
def worker(hood):
    return f.worker(hood, "worker")


def test_meeting_that_ends_before_it_starts_is_refused_with_a_clear_message(hood, worker):
    with pytest.raises(ValidationError) as error:
        f.meeting(hood, actor=worker, starts_at=datetime.time(18), ends_at=datetime.time(17))
    assert error.value.message_dict["ends_at"] == ["The meeting must end after it starts."]
    assert not Meeting.objects.exists()


def test_a_year_of_monthly_meetings_is_planned_in_one_step_skipping_the_summer(hood, worker):
    year = f.today().year + 1
    meetings = services.meeting_plan_series(
        actor=worker,
        neighbourhood=hood,
        year=year,
        first_month=1,
        weekday=1,
        week=2,
        starts_at=datetime.time(18),
        ends_at=datetime.time(20),
        place_name="Salle",
        place_address="Rue Haute 1",
        skip_months={7, 8},
    )
    assert len(meetings) == 10
    assert all(m.date.weekday() == 1 and 8 <= m.date.day <= 14 for m in meetings)
    assert {m.date.month for m in meetings} == set(range(1, 13)) - {7, 8}
    assert len({m.series for m in meetings}) == 1
    assert meetings[0].proposal_deadline == meetings[0].date - datetime.timedelta(days=14)
    assert AuditEvent.objects.filter(action="meetings.series_planned").count() == 1


def test_a_worker_of_another_neighbourhood_cannot_plan_here(hood):
    other = f.worker(f.neighbourhood())
    with pytest.raises(
        ValidationError, match="Only the collective workers of this neighbourhood can do this."
    ):
        f.meeting(hood, actor=other)


def test_department_item_after_the_preparation_deadline_is_refused(hood, worker):
    dept = f.department()
    staff = f.department_staff(dept)
    meeting = f.meeting(hood, actor=worker, days_ahead=20)
    late = meeting.proposal_deadline + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.agenda_item_propose(
            actor=staff, meeting=meeting, title="Ascenseur", department=dept, today=late
        )
    assert "deadline for proposals" in error.value.messages[0]
    assert not meeting.items.exists()


def test_department_staff_propose_items_only_for_their_own_department(hood, worker):
    mine, other = f.department(), f.department()
    staff = f.department_staff(mine)
    meeting = f.meeting(hood, actor=worker)
    with pytest.raises(ValidationError) as error:
        services.agenda_item_propose(actor=staff, meeting=meeting, title="Ascenseur", department=other)
    assert error.value.message_dict["department"] == ["You can only propose items for your own department."]
    item = services.agenda_item_propose(
        actor=staff,
        meeting=meeting,
        title="Ascenseur",
        department=mine,
        presenter="M. Peeters",
        estimated_minutes=15,
    )
    assert (item.status, item.kind) == (AgendaItem.Status.PROPOSED, AgendaItem.Kind.DEPARTMENT)


def test_agenda_with_undecided_proposals_cannot_be_published(hood, worker):
    meeting = f.meeting(hood, actor=worker)
    f.item(meeting, status=AgendaItem.Status.PROPOSED)
    with pytest.raises(ValidationError) as error:
        services.agenda_publish(actor=worker, meeting=meeting)
    assert "still need a decision" in " ".join(error.value.messages)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_worker_orders_merges_and_accepts_items(hood, worker):
    meeting = f.meeting(hood, actor=worker)
    a = f.item(meeting, title="Chauffage")
    b = f.item(meeting, title="Radiateurs froids", status=AgendaItem.Status.PROPOSED, description="3e étage")
    c = f.item(meeting, title="Propreté", status=AgendaItem.Status.PROPOSED)
    services.agenda_item_move(actor=worker, item=c, direction=-1)
    services.agenda_item_merge(actor=worker, item=b, into=a)
    services.agenda_item_set_status(actor=worker, item=c, status=AgendaItem.Status.ACCEPTED)
    assert [i.title for i in meeting.items.accepted()] == ["Chauffage", "Propreté"]
    a.refresh_from_db()
    assert "Radiateurs froids: 3e étage" in a.description
    assert services.agenda_issues_before_publishing(meeting) == []


def test_publishing_the_agenda_invites_every_household_by_email_or_letter_with_hall_notices(
    hood, worker, run_tasks
):
    f.household(hood, email="fatima@example.org")
    f.household(hood, language="nl")
    f.household(f.neighbourhood(), email="elsewhere@example.org")
    meeting = f.meeting(hood, actor=worker, days_ahead=5)
    f.item(meeting, title="Chauffage")
    with run_tasks():
        services.agenda_publish(actor=worker, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED
    assert meeting.invitation_sent_at is not None
    assert [m.to for m in mail.outbox] == [["fatima@example.org"]]
    assert "Chauffage" in mail.outbox[0].body
    batch = NotificationBatch.objects.get(message="meetings/invitation")
    assert batch.related == meeting
    assert batch.letters_pdf and batch.notices_pdf
    letters = pdf_text(batch.letters_pdf.path)
    assert "Chauffage" in letters and "Salle communautaire" in letters
    assert "Chauffage" in pdf_text(batch.notices_pdf.path)
    assert Delivery.objects.filter(batch=batch, channel=Channel.LETTER).count() == 1


def test_agenda_published_early_schedules_the_invitation_for_its_due_day(hood, worker, run_tasks):
    f.household(hood, email="fatima@example.org")
    meeting = f.meeting(hood, actor=worker, days_ahead=40)
    f.item(meeting)
    with run_tasks():
        services.agenda_publish(actor=worker, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.invitation_sent_at is None
    assert meeting.invitation_scheduled_for.date() == meeting.date - datetime.timedelta(days=10)
    assert mail.outbox == []
    services.meeting_send_invitation(meeting=meeting)  # what the scheduled task does on the day
    meeting.refresh_from_db()
    assert meeting.invitation_sent_at is not None
    assert services.meeting_send_invitation(meeting=meeting) is None  # never twice


def test_recording_a_meeting_before_its_day_is_refused(hood, worker):
    meeting = f.published_meeting(hood, actor=worker, days_ahead=3)
    with pytest.raises(ValidationError) as error:
        services.meeting_record_attendance(actor=worker, meeting=meeting, tenants_present=10)
    assert error.value.messages == ["A meeting can be recorded from its day on."]


def test_attendance_per_building_cannot_exceed_the_total(hood, worker):
    meeting = f.held_meeting(hood, actor=worker)
    building = f.building(hood)
    with pytest.raises(ValidationError) as error:
        services.meeting_record_attendance(
            actor=worker, meeting=meeting, tenants_present=3, per_building={building: 5}
        )
    assert "add up to more than the total" in error.value.messages[0]


def test_empty_minutes_cannot_be_sent_for_review(hood, worker):
    meeting = f.held_meeting(hood, actor=worker)
    with pytest.raises(ValidationError) as error:
        services.minutes_submit_for_review(actor=worker, meeting=meeting)
    assert "The minutes are empty" in error.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.minutes_status == Meeting.MinutesStatus.DRAFT


def test_the_author_cannot_approve_their_own_minutes(hood, worker):
    meeting = f.held_meeting(hood, actor=worker)
    services.minutes_save(actor=worker, meeting=meeting, introduction="Réunion animée par Sarah.", items={})
    services.minutes_submit_for_review(actor=worker, meeting=meeting)
    with pytest.raises(ValidationError) as error:
        services.minutes_approve(actor=worker, meeting=meeting)
    assert "someone other than the person who wrote them" in error.value.messages[0]


def test_department_with_an_item_on_the_meeting_can_approve_but_not_publish(hood, worker):
    dept = f.department()
    staff = f.department_staff(dept)
    meeting = f.held_meeting(hood, actor=worker)
    meeting.items.update(department=dept)
    services.minutes_save(actor=worker, meeting=meeting, introduction="Intro", items={})
    services.minutes_submit_for_review(actor=worker, meeting=meeting)
    services.minutes_approve(actor=staff, meeting=meeting)
    with pytest.raises(
        ValidationError, match="Only the collective workers of this neighbourhood can publish the minutes."
    ):
        services.minutes_publish(actor=staff, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.minutes_status == Meeting.MinutesStatus.APPROVED


def test_publishing_minutes_distributes_them_deletes_speaker_names_and_records_deliveries(
    hood, worker, run_tasks
):
    f.household(hood, email="fatima@example.org")
    f.household(hood)
    meeting = f.held_meeting(hood, actor=worker)
    services.speaker_add(actor=worker, item=meeting.items.first(), name="Madame au foulard rouge")
    f.minutes_ready(meeting, author=worker, reviewer=f.worker(hood))
    mail.outbox.clear()
    with run_tasks():
        services.minutes_publish(actor=worker, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_PUBLISHED
    assert not SpeakerTurn.objects.exists()
    assert [m.to for m in mail.outbox] == [["fatima@example.org"]]
    assert "On a parlé du chauffage." in mail.outbox[0].body
    batch = NotificationBatch.objects.get(message="meetings/minutes")
    assert set(batch.deliveries.values_list("channel", flat=True)) == {Channel.EMAIL, Channel.LETTER}


def test_open_action_point_appears_on_the_next_draft_agenda_until_it_is_done(hood, worker):
    dept = f.department()
    held = f.held_meeting(hood, actor=worker)
    point = services.action_point_add(
        actor=worker, meeting=held, description="Réparer l'ascenseur", department=dept, due_date=f.today()
    )
    next_meeting = f.meeting(hood, actor=worker, days_ahead=30)
    follow_up = next_meeting.items.get(kind=AgendaItem.Kind.FOLLOW_UP)
    assert (follow_up.title, follow_up.follow_up_of, follow_up.status) == (
        "Réparer l'ascenseur",
        point,
        AgendaItem.Status.ACCEPTED,
    )
    services.agenda_follow_ups_sync(neighbourhood=hood)
    assert next_meeting.items.filter(kind=AgendaItem.Kind.FOLLOW_UP).count() == 1
    staff = f.department_staff(dept)
    services.action_point_update_status(
        actor=staff, action_point=point, status=ActionPoint.Status.DONE, note="Réparé le 3/3."
    )
    assert not next_meeting.items.filter(kind=AgendaItem.Kind.FOLLOW_UP).exists()
    assert point.updates.get().note == "Réparé le 3/3."


def test_action_point_needs_someone_responsible(hood, worker):
    held = f.held_meeting(hood, actor=worker)
    with pytest.raises(ValidationError) as error:
        services.action_point_add(actor=worker, meeting=held, description="Nettoyer la cave")
    assert error.value.message_dict["responsible"] == ["Say which department or person will do it."]


def test_another_department_cannot_update_an_action_point(hood, worker):
    held = f.held_meeting(hood, actor=worker)
    point = services.action_point_add(
        actor=worker, meeting=held, description="Cave", department=f.department()
    )
    with pytest.raises(
        ValidationError, match="Only the department responsible or the collective workers can update this."
    ):
        services.action_point_update_status(
            actor=f.department_staff(), action_point=point, status=ActionPoint.Status.IN_PROGRESS
        )


def test_cancelling_an_announced_meeting_sends_a_notice_to_those_invited(hood, worker, run_tasks):
    f.household(hood, email="fatima@example.org")
    with run_tasks():
        meeting = f.published_meeting(hood, actor=worker, days_ahead=3)
    mail.outbox.clear()
    with pytest.raises(ValidationError, match="Please give the reason"):
        services.meeting_cancel(actor=worker, meeting=meeting, reason="  ")
    with run_tasks():
        services.meeting_cancel(actor=worker, meeting=meeting, reason="La salle est inondée.")
    assert len(mail.outbox) == 1
    assert "La salle est inondée." in mail.outbox[0].body
    assert NotificationBatch.objects.filter(message="meetings/cancellation").count() == 1


def test_declining_a_suggestion_needs_a_reason_and_the_anonymous_suggester_gets_it_by_email(
    hood, worker, run_tasks
):
    suggestion = services.suggestion_submit(
        neighbourhood=hood,
        title="Bancs dans le parc",
        channel=TopicSuggestion.Channel.ANONYMOUS,
        contact_email="voisin@example.org",
        language="fr",
    )
    with pytest.raises(ValidationError) as error:
        services.suggestion_answer(
            actor=worker, suggestion=suggestion, outcome=TopicSuggestion.Status.DECLINED
        )
    assert error.value.message_dict["answer"] == ["Please explain why the topic is not kept."]
    with run_tasks():
        services.suggestion_answer(
            actor=worker,
            suggestion=suggestion,
            outcome=TopicSuggestion.Status.DECLINED,
            answer="Le parc appartient à la commune.",
        )
    assert mail.outbox[0].to == ["voisin@example.org"]
    assert "Le parc appartient à la commune." in mail.outbox[0].body
    # Through the notification service: a delivery record the office sees (and retries), no side channel.
    batch = NotificationBatch.objects.get(message="meetings/suggestion_answer")
    assert batch.deliveries.get().email == "voisin@example.org"
    assert batch.related == suggestion


def test_scheduling_a_tenant_suggestion_puts_it_on_the_agenda_and_tells_the_tenant(hood, worker, run_tasks):
    tenant = f.tenant(hood)
    meeting = f.meeting(hood, actor=worker)
    suggestion = services.suggestion_submit(
        neighbourhood=hood,
        title="Éclairage du hall",
        channel=TopicSuggestion.Channel.ONLINE,
        user=tenant,
        person=tenant.person,
    )
    with run_tasks():
        services.suggestion_answer(
            actor=worker, suggestion=suggestion, outcome=TopicSuggestion.Status.SCHEDULED, meeting=meeting
        )
    item = meeting.items.get(kind=AgendaItem.Kind.TENANT)
    assert (item.title, item.status) == ("Éclairage du hall", AgendaItem.Status.ACCEPTED)
    assert mail.outbox[0].to == [tenant.email]
    assert f"/fr/meetings/meeting/{meeting.pk}/" in mail.outbox[0].body


def test_speaker_list_puts_people_who_have_not_spoken_yet_first(hood, worker):
    meeting = f.published_meeting(hood, actor=worker)
    first, second = meeting.items.first(), f.item(meeting, title="Propreté")
    ahmed = services.speaker_add(actor=worker, item=first, name="Ahmed")
    services.speaker_mark_spoken(actor=worker, turn=ahmed)
    services.speaker_add(actor=worker, item=second, name="Ahmed")
    services.speaker_add(actor=worker, item=second, name="Marie")
    assert [t.name for t in selectors.speaker_queue(second)] == ["Marie", "Ahmed"]


def test_every_decision_is_audit_logged(hood, worker):
    meeting = f.published_meeting(hood, actor=worker)
    actions = set(AuditEvent.objects.filter(object_id=str(meeting.pk)).values_list("action", flat=True))
    assert {"meetings.meeting_planned", "meetings.agenda_published", "meetings.invitation_sent"} <= actions
    assert timezone.now() >= AuditEvent.objects.first().created_at


def test_moving_an_announced_meeting_tells_the_invited_tenants_but_a_title_change_does_not(
    hood, worker, run_tasks
):
    f.household(hood, email="fatima@example.org")
    with run_tasks():
        meeting = f.published_meeting(hood, actor=worker, days_ahead=3)
    mail.outbox.clear()
    with run_tasks():
        services.meeting_update(actor=worker, meeting=meeting, title="Réunion de rentrée")
    assert mail.outbox == []
    with run_tasks():
        services.meeting_update(actor=worker, meeting=meeting, place_name="Salle du bloc C")
    assert len(mail.outbox) == 1
    assert "Salle du bloc C" in mail.outbox[0].body
    assert NotificationBatch.objects.filter(message="meetings/change").count() == 1
