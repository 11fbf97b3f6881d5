"""Public pages: upcoming meetings, meeting page, calendars, minutes PDF, archive, action points, suggestions."""

import datetime
import subprocess
import tempfile

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings import services
from meetings.models import ActionPoint, Meeting, TopicSuggestion

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def hood():
    return f.neighbourhood("marolles-test")


@pytest.fixture
def worker(hood):
    return f.worker(hood, "worker")


def published_minutes(hood, worker, *, title="Chauffage", summary="On a parlé du chauffage."):
    meeting = f.held_meeting(hood, actor=worker)
    item = meeting.items.get(follow_up_of__isnull=True)
    item.title = title
    item.save()
    services.minutes_save(
        actor=worker, meeting=meeting, introduction="", items={item.pk: {"summary": summary}}
    )
    services.action_point_add(
        actor=worker,
        meeting=meeting,
        item=item,
        description="Purger les radiateurs",
        responsible="Service technique",
    )
    services.minutes_submit_for_review(actor=worker, meeting=meeting)
    services.minutes_approve(actor=f.worker(hood), meeting=meeting)
    return services.minutes_publish(actor=worker, meeting=meeting)


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        return subprocess.run(["pdftotext", tmp.name, "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607


def test_upcoming_meetings_are_listed_overall_and_per_neighbourhood_with_their_public_agenda(
    client, hood, worker
):
    meeting = f.published_meeting(hood, actor=worker)
    draft = f.meeting(hood, actor=worker, days_ahead=40)
    f.item(draft, title="Point encore secret")
    response = client.get("/fr/meetings/")
    html = response.content.decode()
    assert response.status_code == 200
    assert meeting.get_absolute_url() in html and "Chauffage" in html
    assert "Point encore secret" not in html
    html = client.get(f"/fr/meetings/{hood.slug}/").content.decode()
    assert draft.get_absolute_url() in html
    assert "Point encore secret" not in html


def test_meeting_page_shows_place_accessibility_and_agenda_once_published(client, hood, worker):
    meeting = f.meeting(hood, actor=worker, accessibility="Ascenseur, boucle magnétique")
    f.item(meeting, title="Propreté des caves")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Ascenseur, boucle magnétique" in html
    assert "Propreté des caves" not in html
    services.agenda_publish(actor=worker, meeting=meeting)
    assert "Propreté des caves" in client.get(meeting.get_absolute_url()).content.decode()


def test_cancelled_meeting_page_shows_the_notice(client, hood, worker):
    meeting = f.meeting(hood, actor=worker)
    services.meeting_cancel(actor=worker, meeting=meeting, reason="La salle est en travaux.")
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "La salle est en travaux." in html


def test_add_to_calendar_file_is_valid_icalendar_in_brussels_time(client, hood, worker):
    meeting = f.published_meeting(hood, actor=worker)
    response = client.get(f"/fr/meetings/meeting/{meeting.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart").replace(tzinfo=None) == datetime.datetime.combine(
        meeting.date, datetime.time(18)
    )
    assert str(event.decoded("dtstart").tzinfo) == "Europe/Brussels"
    assert "Salle communautaire" in str(event["location"])
    assert "Chauffage" in str(event["description"])
    assert calendar.walk("VTIMEZONE")


def test_neighbourhood_feed_lists_each_meeting_once_and_marks_cancelled_ones(client, hood, worker):
    f.meeting(hood, actor=worker, days_ahead=10)
    cancelled = f.meeting(hood, actor=worker, days_ahead=40)
    services.meeting_cancel(actor=worker, meeting=cancelled, reason="Congé")
    f.meeting(f.neighbourhood(), actor=f.worker(), days_ahead=12)
    calendar = icalendar.Calendar.from_ical(client.get(f"/fr/meetings/{hood.slug}/calendar.ics").content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    assert sorted(str(e["status"]) for e in events) == ["CANCELLED", "CONFIRMED"]


def test_minutes_are_public_only_once_published_in_html_and_pdf_in_french_and_dutch(client, hood, worker):
    meeting = f.held_meeting(hood, actor=worker)
    assert client.get(f"/fr/meetings/meeting/{meeting.pk}/minutes.pdf").status_code == 404
    meeting = published_minutes(hood, worker)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "On a parlé du chauffage." in html and "Purger les radiateurs" in html
    response = client.get(f"/fr/meetings/meeting/{meeting.pk}/minutes.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert text.count("On a parlé du chauffage.") == 2  # one part per language of the meeting


def test_archive_search_finds_meetings_by_what_was_said(client, hood, worker):
    published_minutes(hood, worker, title="Ascenseur", summary="L'ascenseur du bloc B sera remplacé.")
    published_minutes(hood, worker, title="Propreté", summary="Nouveaux conteneurs.")
    html = client.get(f"/en/meetings/{hood.slug}/archive/?q=bloc+B").content.decode()
    assert "Meetings found: 1." in html
    assert html.count("/minutes.pdf") == 1


def test_action_points_page_shows_the_status_the_department_gave(client, hood, worker):
    meeting = published_minutes(hood, worker)
    point = meeting.action_points.get()
    services.action_point_update_status(
        actor=worker, action_point=point, status=ActionPoint.Status.IN_PROGRESS, note="Commande passée."
    )
    html = client.get(f"/fr/meetings/{hood.slug}/action-points/?status=in_progress").content.decode()
    assert "Purger les radiateurs" in html and "Commande passée." in html
    assert (
        "Purger les radiateurs"
        not in client.get(f"/fr/meetings/{hood.slug}/action-points/?status=done").content.decode()
    )


def test_anonymous_suggestion_with_a_wrong_captcha_is_refused_next_to_the_field(client, hood):
    form = client.get("/en/meetings/suggest/")
    key = form.content.decode().split('name="captcha_0" value="')[1].split('"')[0]
    response = client.post(
        "/en/meetings/suggest/",
        {"neighbourhood": hood.pk, "title": "Bancs", "captcha_0": key, "captcha_1": "wrong"},
    )
    assert response.status_code == 200
    assert "The letters do not match the picture" in response.content.decode()
    assert not TopicSuggestion.objects.exists()


def test_anonymous_suggestion_with_the_right_captcha_is_recorded(client, hood, solve_captcha):
    form = client.get(f"/en/meetings/suggest/?neighbourhood={hood.slug}")
    data = {"neighbourhood": hood.pk, "title": "Bancs dans le parc", "contact_email": "voisin@example.org"}
    response = client.post("/en/meetings/suggest/", {**data, **solve_captcha(form)})
    assert response.status_code == 302
    suggestion = TopicSuggestion.objects.get()
    assert (suggestion.channel, suggestion.contact_email) == (
        TopicSuggestion.Channel.ANONYMOUS,
        "voisin@example.org",
    )


def test_logged_in_tenant_suggests_without_captcha_and_is_linked_to_the_register(client, hood):
    tenant = f.tenant(hood)
    client.force_login(tenant)
    assert "captcha" not in client.get("/en/meetings/suggest/").content.decode()
    response = client.post("/en/meetings/suggest/", {"neighbourhood": hood.pk, "title": "Éclairage"})
    assert response.status_code == 302
    assert TopicSuggestion.objects.get().person == tenant.person


def test_suggestion_for_a_building_of_another_neighbourhood_is_refused(client, hood):
    client.force_login(f.tenant(hood))
    other_building = f.building(f.neighbourhood())
    response = client.post(
        "/en/meetings/suggest/", {"neighbourhood": hood.pk, "building": other_building.pk, "title": "Cave"}
    )
    assert "This building is not in the chosen neighbourhood." in response.content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _add_meetings(hood, worker, count: int) -> Meeting:
    last = None
    for n in range(count):
        last = published_minutes(hood, worker, title=f"Point {n}")
        f.item(last, title=f"Autre point {n}")
        m = f.meeting(hood, actor=worker, days_ahead=10 + n)
        f.item(m, title="a")
        f.item(m, title="b")
        services.agenda_publish(actor=worker, meeting=m)
    return last


def test_query_counts_of_list_meeting_page_and_archive_do_not_grow_with_data(client, hood, worker):
    meeting = _add_meetings(hood, worker, 2)
    urls = [
        "/fr/meetings/",
        f"/fr/meetings/{hood.slug}/",
        f"/fr/meetings/{hood.slug}/archive/",
        f"/fr/meetings/{hood.slug}/action-points/",
    ]
    small = [_queries(client, url) for url in [*urls, meeting.get_absolute_url()]]
    meeting = _add_meetings(hood, worker, 5)
    for n in range(6):
        f.item(meeting, title=f"Encore {n}")
    large = [_queries(client, url) for url in [*urls, meeting.get_absolute_url()]]
    assert large == small
