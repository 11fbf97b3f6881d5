"""Open action points come back on the agenda of the next meeting of their neighbourhood only, once; opening the
agenda page writes nothing (issue #16, item 4)."""

import datetime

import pytest

from meetings import services
from meetings.models import ActionPoint, AgendaItem, Meeting

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def hood():
    return f.neighbourhood("marolles-follow")


@pytest.fixture
def worker(hood):
    return f.worker(hood, "worker-follow")


def follow_ups(meeting: Meeting) -> list[str]:
    return list(meeting.items.filter(kind=AgendaItem.Kind.FOLLOW_UP).values_list("title", flat=True))


@pytest.fixture
def open_point(hood, worker):
    held = f.held_meeting(hood, actor=worker)
    return services.action_point_add(
        actor=worker, meeting=held, description="Réparer la porte du hall", responsible="Service technique"
    )


def test_an_open_point_goes_on_the_next_meeting_only_not_on_every_future_draft_agenda(
    hood, worker, open_point
):
    planned = [f.meeting(hood, actor=worker, days_ahead=days) for days in (30, 60, 90, 120, 150)]
    assert [follow_ups(m) for m in planned] == [["Réparer la porte du hall"], [], [], [], []]


def test_a_point_recorded_after_the_next_meetings_were_planned_joins_the_next_one(hood, worker):
    planned = [f.meeting(hood, actor=worker, days_ahead=days) for days in (30, 60)]
    held = f.held_meeting(hood, actor=worker)
    services.action_point_add(
        actor=worker, meeting=held, description="Nettoyer les caves", responsible="Régie"
    )
    assert [follow_ups(m) for m in planned] == [["Nettoyer les caves"], []]


def test_a_new_meeting_planned_before_the_next_one_takes_the_point_over(hood, worker, open_point):
    later = f.meeting(hood, actor=worker, days_ahead=60)
    sooner = f.meeting(hood, actor=worker, days_ahead=30)
    assert (follow_ups(sooner), follow_ups(later)) == (["Réparer la porte du hall"], [])


def test_cancelling_the_next_meeting_moves_the_point_to_the_one_after(hood, worker, open_point):
    first = f.meeting(hood, actor=worker, days_ahead=30)
    second = f.meeting(hood, actor=worker, days_ahead=60)
    services.meeting_cancel(actor=worker, meeting=first, reason="Salle indisponible")
    assert follow_ups(second) == ["Réparer la porte du hall"]


def test_moving_the_next_meeting_after_another_one_moves_the_point_with_the_order(hood, worker, open_point):
    first = f.meeting(hood, actor=worker, days_ahead=30)
    second = f.meeting(hood, actor=worker, days_ahead=60)
    services.meeting_update(actor=worker, meeting=first, date=f.today() + datetime.timedelta(days=90))
    assert (follow_ups(first), follow_ups(second)) == ([], ["Réparer la porte du hall"])


def test_a_published_agenda_is_not_changed_and_the_later_drafts_do_not_get_the_point(hood, worker):
    published = f.published_meeting(hood, actor=worker, days_ahead=5)
    later = f.meeting(hood, actor=worker, days_ahead=40)
    held = f.held_meeting(hood, actor=worker, days_ago=3)
    services.action_point_add(
        actor=worker, meeting=held, description="Changer les ampoules", responsible="Régie"
    )
    assert (follow_ups(published), follow_ups(later)) == ([], [])


def test_a_point_still_open_after_the_next_meeting_is_held_moves_on_to_the_one_after(
    hood, worker, open_point
):
    next_meeting = f.meeting(hood, actor=worker, days_ahead=3)
    after = f.meeting(hood, actor=worker, days_ahead=40)
    assert follow_ups(next_meeting) == ["Réparer la porte du hall"]
    services.agenda_publish(actor=worker, meeting=next_meeting)
    assert follow_ups(after) == []
    Meeting.objects.filter(pk=next_meeting.pk).update(date=f.today())
    next_meeting.refresh_from_db()
    services.meeting_record_attendance(actor=worker, meeting=next_meeting, tenants_present=8)
    assert follow_ups(next_meeting) == ["Réparer la porte du hall"]  # what was on the agenda stays
    assert follow_ups(after) == ["Réparer la porte du hall"]


def test_a_done_point_leaves_the_draft_agenda_and_a_removed_one_too(hood, worker, open_point):
    next_meeting = f.meeting(hood, actor=worker, days_ahead=30)
    services.action_point_update_status(
        actor=worker, action_point=open_point, status=ActionPoint.Status.DONE, note="Réparée."
    )
    assert follow_ups(next_meeting) == []
    services.action_point_update_status(actor=worker, action_point=open_point, status=ActionPoint.Status.OPEN)
    assert follow_ups(next_meeting) == ["Réparer la porte du hall"]
    services.action_point_remove(actor=worker, action_point=open_point)
    assert follow_ups(next_meeting) == []


def test_a_follow_up_the_worker_declined_is_not_put_back(hood, worker, open_point):
    next_meeting = f.meeting(hood, actor=worker, days_ahead=30)
    item = next_meeting.items.get(kind=AgendaItem.Kind.FOLLOW_UP)
    services.agenda_item_set_status(actor=worker, item=item, status=AgendaItem.Status.DECLINED)
    services.agenda_follow_ups_sync(neighbourhood=hood)
    assert list(next_meeting.items.values_list("status", flat=True)) == [AgendaItem.Status.DECLINED]


def test_opening_the_agenda_page_writes_nothing(
    client, hood, worker, open_point, django_assert_max_num_queries
):
    next_meeting = f.meeting(hood, actor=worker, days_ahead=30)
    AgendaItem.objects.filter(meeting=next_meeting).delete()  # as left by the code before this rule
    client.force_login(worker)
    response = client.get(f"/en/meetings/staff/meeting/{next_meeting.pk}/")
    assert response.status_code == 200
    assert not next_meeting.items.exists()
