"""Documents built from meetings: iCalendar files (per meeting, feed per neighbourhood) and the minutes PDF."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from portal import documents

from .models import Meeting


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _event(meeting: Meeting) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{settings.WAGTAILADMIN_BASE_URL.split('//')[-1].split('/')[0]}")
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("dtstart", meeting.starts.astimezone(timezone.get_current_timezone()))
    event.add("dtend", meeting.ends.astimezone(timezone.get_current_timezone()))
    event.add("summary", str(meeting))
    event.add("location", f"{meeting.place_name}, {meeting.place_address}")
    lines = []
    if meeting.agenda_is_public:
        lines.append(_("Agenda:"))
        lines += [f"- {item.title}" for item in getattr(meeting, "public_items", [])]
    if meeting.accessibility:
        lines += ["", meeting.accessibility]
    if meeting.online_url:
        lines += ["", _("Online: %(url)s") % {"url": meeting.online_url}]
    if lines:
        event.add("description", "\n".join(lines))
    event.add("url", _absolute(meeting.get_absolute_url()))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("sequence", 1 if meeting.is_cancelled else 0)
    return event


def meetings_calendar(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A valid iCalendar (RFC 5545) with one event per meeting and the Brussels time zone."""
    calendar = Calendar()
    calendar.add("prodid", "-//Tenant portal//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def minutes_pdf(meeting: Meeting) -> bytes:
    """The published minutes as a PDF, one part per language of the meeting (French and Dutch by default)."""
    return documents.bilingual_pdf(
        "meetings/minutes_pdf_part.html",
        {"meeting": meeting, "items": meeting.public_items},
        languages=meeting.language_codes,
        document="meetings/minutes_pdf.html",
    )
