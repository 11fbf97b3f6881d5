"""The demo data shows the whole cycle and can be loaded twice."""

import io

import pytest

from meetings import demo
from meetings.models import ActionPoint, AgendaItem, Meeting
from portal import demo as portal_demo

pytestmark = pytest.mark.django_db


def test_demo_has_a_year_of_meetings_with_minutes_and_a_next_agenda_and_loads_twice(client):
    portal_demo.load(io.StringIO())
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    marolles = Meeting.objects.filter(neighbourhood__slug="marolles")
    assert marolles.count() == 12
    assert marolles.filter(status=Meeting.Status.MINUTES_PUBLISHED).count() == 6
    assert marolles.filter(status=Meeting.Status.AGENDA_PUBLISHED).count() == 1
    peterbos_next = Meeting.objects.filter(
        neighbourhood__slug="peterbos", status=Meeting.Status.PLANNED
    ).first()
    assert peterbos_next.items.filter(kind=AgendaItem.Kind.FOLLOW_UP).exists()
    assert peterbos_next.items.filter(status=AgendaItem.Status.PROPOSED).exists()
    assert ActionPoint.objects.exclude(status=ActionPoint.Status.DONE).exists()
    assert client.get("/fr/meetings/marolles/").status_code == 200
    assert (
        client.get(
            marolles.filter(status=Meeting.Status.MINUTES_PUBLISHED).last().get_absolute_url()
        ).status_code
        == 200
    )
