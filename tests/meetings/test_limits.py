"""Every limit of a meeting at its boundary: the order of its dates and times, the proposal deadline, the day the
invitation leaves, the length of an agenda item."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from meetings import services
from meetings.models import Meeting

from . import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english():
    """Refusals are matched in English, the source language."""
    with translation.override("en"):
        yield


def _meeting(**changes) -> Meeting:
    values = {
        "neighbourhood": f.neighbourhood(),
        "date": datetime.date(2026, 6, 18),
        "starts_at": datetime.time(18, 0),
        "ends_at": datetime.time(18, 1),
        "proposal_deadline": datetime.date(2026, 6, 18),
        "place_name": "Salle",
        "place_address": "Rue Haute 1",
    }
    values.update(changes)
    return Meeting(**values)


def test_a_meeting_of_one_minute_with_the_deadline_on_its_day_is_valid():
    _meeting().full_clean()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": datetime.time(18, 0)}, "ends_at", "must end after it starts"),
        (
            {"proposal_deadline": datetime.date(2026, 6, 19)},
            "proposal_deadline",
            "on or before the meeting day",
        ),
    ],
    ids=["ends when it starts", "deadline the day after the meeting"],
)
def test_a_meeting_one_step_past_a_boundary_is_refused_on_that_field(changes, field, message):
    with pytest.raises(ValidationError, match=message) as refusal:
        _meeting(**changes).full_clean()
    assert list(refusal.value.message_dict) == [field]


@pytest.mark.parametrize(
    ("offset", "open_"), [(0, True), (1, False)], ids=["on the deadline", "the day after"]
)
def test_a_department_proposes_an_item_until_the_deadline_day_included(offset, open_):
    hood = f.neighbourhood()
    worker = f.worker(hood)
    department = f.department()
    staff = f.department_staff(department)
    meeting = f.meeting(hood, actor=worker)
    today = meeting.proposal_deadline + offset * DAY
    propose = {
        "actor": staff,
        "meeting": meeting,
        "title": "Ascenseurs",
        "department": department,
        "today": today,
    }
    if open_:
        assert services.agenda_item_propose(**propose).status == "proposed"
    else:
        with pytest.raises(ValidationError, match="The deadline for proposals was"):
            services.agenda_item_propose(**propose)


@pytest.mark.parametrize(("minutes", "accepted"), [(0, False), (1, True), (180, True), (181, False)])
def test_an_agenda_item_is_estimated_between_1_and_180_minutes(minutes, accepted):
    hood = f.neighbourhood()
    worker = f.worker(hood)
    meeting = f.meeting(hood, actor=worker)
    propose = {"actor": worker, "meeting": meeting, "title": "Chauffage", "estimated_minutes": minutes}
    if accepted:
        services.agenda_item_propose(**propose)
    else:
        with pytest.raises(ValidationError, match="between 1 and 180 minutes"):
            services.agenda_item_propose(**propose)


@pytest.mark.parametrize(
    ("before", "scheduled"),
    [(datetime.timedelta(seconds=1), True), (datetime.timedelta(0), False)],
    ids=["a second before the due moment: scheduled", "at the due moment: sent at once"],
)
def test_the_invitation_leaves_at_8_on_its_due_day_and_at_once_when_published_later(before, scheduled):
    hood = f.neighbourhood()
    worker = f.worker(hood)
    meeting = f.meeting(hood, actor=worker, days_ahead=20, invitation_days=10)
    f.item(meeting)
    due = timezone.make_aware(datetime.datetime.combine(meeting.invitation_due_on, datetime.time(8, 0)))
    services.agenda_publish(actor=worker, meeting=meeting, now=due - before)
    meeting.refresh_from_db()
    assert (meeting.invitation_scheduled_for == due) is scheduled
    assert (meeting.invitation_sent_at is not None) is not scheduled
