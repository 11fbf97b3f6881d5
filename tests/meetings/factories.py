"""Factories for meeting tests: register data, users per role, meetings at each step of the cycle."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group, User
from django.utils import timezone

from meetings import services
from meetings.models import AgendaItem, Meeting
from portal import roles
from portal.models import Building, Department, Household, Neighbourhood
from tests.factories import register

START = datetime.date(2015, 1, 1)


def today() -> datetime.date:
    return timezone.localdate()


def neighbourhood(slug: str | None = None) -> Neighbourhood:
    return register.neighbourhood(slug or f"quartier-{register.number()}")


def building(hood: Neighbourhood) -> Building:
    """A building on the neighbourhood's first site (created if it has none)."""
    return register.building(hood, reuse_site=True)


def household(
    hood: Neighbourhood, *, email: str = "", language: str = "fr", b: Building | None = None
) -> Household:
    """A household with one lease holder, in the neighbourhood's first building unless `b` is given."""
    b = b or Building.objects.filter(site__neighbourhood=hood).first() or building(hood)
    h = register.household(b, start=START, language=language)
    register.person(h, born=datetime.date(1960, 1, 1), language=language, email=email)
    return h


def user(username: str | None = None, *, groups: tuple[str, ...] = (), **fields) -> User:
    username = username or f"user{register.number()}"
    u = User.objects.create_user(
        username=username, email=f"{username}@example.org", password="pw-123456789", **fields
    )
    for name in groups:
        u.groups.add(Group.objects.get_or_create(name=name)[0])
    return u


def worker(hood: Neighbourhood | None = None, username: str | None = None) -> User:
    u = user(username, groups=(roles.COLLECTIVE_WORKERS,))
    if hood is not None:
        u.worker_assignments.create(neighbourhood=hood)
    return u


def department(slug: str | None = None) -> Department:
    n = register.number()
    return Department.objects.create(
        name_fr=f"Service technique {n}", name_nl=f"Technische dienst {n}", slug=slug or f"dept-{n}"
    )


def department_staff(dept: Department | None = None, username: str | None = None) -> User:
    u = user(username, groups=(roles.DEPARTMENT_STAFF,))
    (dept or department()).members.add(u)
    return u


def tenant(hood: Neighbourhood, username: str | None = None) -> User:
    u = user(username)
    h = household(hood, email=f"{u.username}@example.org")
    person = h.members.get()
    person.user = u
    person.save()
    return u


def meeting(
    hood: Neighbourhood | None = None,
    *,
    actor: User | None = None,
    days_ahead: int = 20,
    **fields,
) -> Meeting:
    hood = hood or neighbourhood()
    actor = actor or User.objects.filter(is_superuser=True).first() or user(is_superuser=True)
    values = {
        "date": today() + datetime.timedelta(days=days_ahead),
        "starts_at": datetime.time(18, 0),
        "ends_at": datetime.time(20, 0),
        "place_name": "Salle communautaire",
        "place_address": "Rue Haute 10, 1000 Bruxelles",
    }
    values.update(fields)
    return services.meeting_create(actor=actor, neighbourhood=hood, **values)


def item(
    m: Meeting, *, title: str = "Chauffage", status: str = AgendaItem.Status.ACCEPTED, **fields
) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=m, title=title, status=status, position=m.items.count() + 1, **fields
    )


def published_meeting(hood: Neighbourhood | None = None, *, actor: User, days_ahead: int = 5) -> Meeting:
    m = meeting(hood, actor=actor, days_ahead=days_ahead)
    item(m)
    return services.agenda_publish(actor=actor, meeting=m)


def held_meeting(hood: Neighbourhood | None = None, *, actor: User, days_ago: int = 1) -> Meeting:
    """A meeting whose agenda was published and attendance recorded (dates moved into the past)."""
    m = meeting(hood, actor=actor, days_ahead=3)
    item(m)
    services.agenda_publish(actor=actor, meeting=m)
    past = today() - datetime.timedelta(days=days_ago)
    Meeting.objects.filter(pk=m.pk).update(date=past, proposal_deadline=past - datetime.timedelta(days=14))
    m.refresh_from_db()
    return services.meeting_record_attendance(actor=actor, meeting=m, tenants_present=12)


def minutes_ready(m: Meeting, *, author: User, reviewer: User) -> Meeting:
    first = m.items.accepted().first()
    services.minutes_save(
        actor=author,
        meeting=m,
        introduction="",
        items={first.pk: {"summary": "On a parlé du chauffage.", "decisions": ""}},
    )
    services.minutes_submit_for_review(actor=author, meeting=m)
    return services.minutes_approve(actor=reviewer, meeting=m)
