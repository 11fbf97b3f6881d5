"""Query budgets of the public pages (issue #7): each public page makes the same number of SQL queries on a small
dataset and on one several times larger, and at most 15 for an anonymous visitor.

Every page is measured twice, anonymously and as a linked tenant (an account linked to a person of the register
living in the neighbourhood the data is about, so the personal parts of the pages run: the tenant's news first on
the home page, the "My account" link, the application and candidacy checks). Each measurement is one GET after a
warm-up GET of the same URL (Wagtail's site and locale caches, and image renditions, are made on a first view).
The anonymous page cache is off in tests (`PORTAL_PAGE_CACHE_SECONDS = 0`), so the counts are those of a render.

The data are built once for the module, through the apps' factories and services, inside one transaction rolled
back at the end (`django_db_blocker`), and measured at both sizes; each test then checks one page for one visitor,
so a failure names the page and shows the queries that differ. Pages whose data freeze once published (a meeting's
minutes, an election's results) are measured on a small one and on a larger one of the same kind; the other pages
keep their URL while their data grow.

The per-app tests (tests/home, tests/meetings, tests/projectcall, tests/elections) check some of these pages in
more detail; this module holds the whole list and the budget.
"""

from __future__ import annotations

import datetime
import difflib
import io
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.rich_text import RichText

from elections import selectors as election_selectors
from elections import services as election_services
from elections.models import Candidacy, Election, PollingStation
from home.models import HomePage, NewsIndexPage, NewsPage
from meetings import services as meeting_services
from meetings.models import Meeting
from portal import roles
from portal.models import Building, Department, Neighbourhood
from projectcall import services as call_services
from projectcall.models import Call, Criterion, ProgressReport, ProjectCallPage
from tests.elections import factories as ef
from tests.factories import register
from tests.home.factories import make_image, make_neighbourhood, make_news, make_news_index
from tests.meetings import factories as mf
from tests.projectcall import factories as pf

#: The most queries an anonymous view of a public page may make (issue #7).
BUDGET = 15
#: How many times more of each kind of data the large dataset has (about).
GROWTH = 5

PAGES = [
    "home",
    "news list",
    "news item",
    "meetings list",
    "meeting page (minutes)",
    "meetings archive",
    "call page",
    "project gallery",
    "election page",
    "candidate list",
    "results",
]
VISITORS = ["anonymous", "tenant"]
#: Something each page shows once per row of the data that grows: the large page must show more of it.
ROWS = {
    "home": 'class="news-card__title"',
    "news list": 'class="news-card__title"',
    "news item": '<span class="tag">',
    "meetings list": 'href="/fr/meetings/meeting/',
    "meeting page (minutes)": "<li><h3>",
    "meetings archive": 'href="/fr/meetings/meeting/',
    "call page": "<details>",
    "project gallery": '<li class="card"><h2>',
    "election page": "<li><strong>",
    "candidate list": "/photo/",
    "results": '<th scope="row">',
}

# The tests only read the measurements, but pytest-django sets up the test database only for sessions with tests
# that use it.
pytestmark = pytest.mark.django_db


@dataclass
class Measure:
    url: str
    status: int
    queries: list[str] = field(repr=False)
    html: str = field(repr=False)

    @property
    def count(self) -> int:
        return len(self.queries)


@dataclass
class World:
    """What the pages are about; `grow` adds to it and replaces the measured news item, meeting and election."""

    hood: Neighbourhood
    hoods: list[Neighbourhood]
    tenant: Any
    news_index: NewsIndexPage
    worker: Any
    reviewer: Any
    department: Department
    open_call: Call
    call_page: ProjectCallPage
    counter: dict[str, int] = field(default_factory=dict)
    news_item: NewsPage = field(init=False)
    meeting: Meeting = field(init=False)
    election: Election = field(init=False)

    def next(self, kind: str) -> int:
        self.counter[kind] = self.counter.get(kind, 0) + 1
        return self.counter[kind]


_usernames = itertools.count(1)


def _username(kind: str) -> str:
    """Usernames of their own: each factory module numbers its `user<n>` accounts with its own counter."""
    return f"budget-{kind}-{next(_usernames)}"


# --- News ---------------------------------------------------------------------------------------------------


def _add_news(world: World, count: int) -> None:
    """News items with their own picture (renditions to make), for one to three neighbourhoods or company-wide."""
    today = timezone.localdate()
    for _ in range(count):
        n = world.next("news")
        hoods = [] if n % 4 == 0 else world.hoods[: 1 + n % 3]
        make_news(
            world.news_index,
            f"Nouvelle {n}",
            neighbourhoods=hoods,
            image=make_image(f"Photo {n}", "#%02x7a40" % (n * 7 % 256)),
            date=today - datetime.timedelta(days=n),
        )


def _news_item(world: World, hoods: list[Neighbourhood], pictures: int) -> NewsPage:
    """The measured news item: a listing image, neighbourhoods, a body with headings, text and pictures."""
    n = world.next("news")
    body: list[tuple[str, Any]] = []
    for p in range(pictures):
        body += [
            ("heading", {"text": f"Partie {p + 1}", "level": "h2"}),
            ("paragraph", RichText("<p>Inscrivez-vous à l'accueil avant le 15 du mois.</p>")),
            (
                "image",
                {
                    "image": make_image(f"Corps {n}-{p}"),
                    "alt": "Des bacs de légumes",
                    "caption": "Le potager",
                },
            ),
        ]
    return make_news(
        world.news_index,
        f"Le potager collectif {n}",
        neighbourhoods=hoods,
        image=make_image(f"Potager {n}"),
        date=timezone.localdate(),
        body=body,
    )


# --- Meetings -----------------------------------------------------------------------------------------------


def _minutes_meeting(
    world: World, hood: Neighbourhood, *, days_ago: int, items: int, points: int, buildings: list[Building]
) -> Meeting:
    """A meeting taken through the cycle by the services: agenda, attendance per building, minutes with action
    points, review and publication. Open action points of earlier meetings come back as follow-up items."""
    sites = list({b.site for b in buildings})
    meeting = mf.meeting(hood, actor=world.worker, days_ahead=3, sites=sites)
    for i in range(items):
        mf.item(meeting, title=f"Point {i + 1}", department=world.department if i % 2 else None)
    meeting_services.agenda_publish(actor=world.worker, meeting=meeting)
    past = timezone.localdate() - datetime.timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        date=past, proposal_deadline=past - datetime.timedelta(days=14)
    )
    meeting.refresh_from_db()
    meeting_services.meeting_record_attendance(
        actor=world.worker,
        meeting=meeting,
        tenants_present=5 * len(buildings) + 3,
        per_building=dict.fromkeys(buildings, 5),
    )
    accepted = list(meeting.items.accepted())
    meeting_services.minutes_save(
        actor=world.worker,
        meeting=meeting,
        introduction="Tour de table des nouvelles.",
        items={i.pk: {"summary": "On en a parlé.", "decisions": "Le service revient."} for i in accepted},
    )
    for p in range(points):
        meeting_services.action_point_add(
            actor=world.worker,
            meeting=meeting,
            item=accepted[p % len(accepted)],
            description=f"Action {p + 1}",
            department=world.department if p % 2 else None,
            responsible="" if p % 2 else "Le comité",
            due_date=past + datetime.timedelta(days=30),
        )
    meeting_services.minutes_submit_for_review(actor=world.worker, meeting=meeting)
    meeting_services.minutes_approve(actor=world.reviewer, meeting=meeting)
    return meeting_services.minutes_publish(actor=world.worker, meeting=meeting)


def _add_past_meetings(world: World, count: int) -> None:
    for _ in range(count):
        n = world.next("past meeting")
        _minutes_meeting(
            world, world.hood, days_ago=400 - 10 * n, items=2, points=1, buildings=_buildings(world.hood, 1)
        )


def _add_upcoming_meetings(world: World, hoods: list[Neighbourhood], count: int) -> None:
    """Meetings to come with a published agenda, spread over the neighbourhoods."""
    for i in range(count):
        n = world.next("upcoming meeting")
        meeting = mf.meeting(hoods[i % len(hoods)], actor=world.worker, days_ahead=5 + n)
        for t in range(3):
            mf.item(meeting, title=f"Sujet {n}.{t}", department=world.department if t else None)
        meeting_services.agenda_publish(actor=world.worker, meeting=meeting)


def _buildings(hood: Neighbourhood, count: int) -> list[Building]:
    """New buildings of the neighbourhood, each on a site of its own (the meeting is held for those sites)."""
    return [register.building(hood) for _ in range(count)]


# --- Project calls ------------------------------------------------------------------------------------------


def _document(title: str) -> Any:
    document = get_document_model()(title=title)
    document.file.save(f"{title.lower().replace(' ', '-')}.pdf", ContentFile(b"%PDF-1.4 budget"), save=False)
    document.save()
    return document


def _publish_call_page(page: ProjectCallPage, questions: int, documents: int) -> None:
    page.faq = [
        ("question", {"question": f"Question {q + 1} ?", "answer": RichText(f"<p>Réponse {q + 1}.</p>")})
        for q in range(questions)
    ]
    page.documents = [("document", _document(f"Règlement {d + 1}")) for d in range(documents)]
    page.save_revision().publish()


def _add_applications(call: Call, count: int) -> None:
    """Complete applications submitted through the service while the call is open."""
    for _ in range(count):
        pf.submitted(call, pf.user(_username("applicant")))


def _decided_call(funded: int, rejected: int = 1) -> Call:
    """A call whose eligible applications were decided by the service; the funded projects sent a final report,
    accepted by the worker (so they show as completed in the gallery)."""
    call = pf.call(phase="review")
    worker = pf.worker(_username("call-worker"))
    applications = [
        pf.eligible(call, pf.user(_username("applicant")), title=f"Projet {n + 1}", amounts=("1200", "800"))
        for n in range(funded + rejected)
    ]
    proposals = [
        call_services.Proposal(application=a, funded=n < funded, amount=Decimal("2000"), motivation="Motivé.")
        for n, a in enumerate(applications)
    ]
    call_services.decision_take(call=call, proposals=proposals, actor=worker)
    for application in applications[:funded]:
        application.refresh_from_db()
        report = call_services.report_submit(
            application=application,
            kind=ProgressReport.Kind.FINAL,
            text="Les voisins ont participé.",
            amount_spent=Decimal("1900"),
            actor=application.owner,
        )
        call_services.report_review(report=report, accept=True, comment="Merci", actor=worker)
    return call


# --- Elections ----------------------------------------------------------------------------------------------


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 40), (200, 80, 40)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def _published_election(
    *, candidates: int, households: int, stations: int, online: int, at_stations: int
) -> Election:
    """An election taken through every phase by the services, on the factories' calendar: candidacies with
    photos, the roll, online ballots and check-ins at the stations, the paper counts, results published."""
    committee = ef.make_user(roles.ELECTION_COMMITTEE, username=_username("committee"))
    persons = ef.make_company(households=households, members=2)
    with time_machine.travel(ef.DURING_CANDIDACIES, tick=False):
        election = ef.make_election()
        for s in range(1, stations):
            PollingStation.objects.create(
                election=election,
                name=f"Bureau de vote {s + 1}",
                address=f"Rue du Banc {s + 1}, 1000 Bruxelles",
                opens_at=election.voting_opens_at,
                closes_at=election.voting_closes_at,
                accessibility="Accessible en chaise roulante",
            )
        election_services.election_advance(election=election, actor=committee)
        for n, person in enumerate(persons[:candidates]):
            candidacy = election_services.candidacy_submit(
                election=election,
                person=person,
                channel=Candidacy.Channel.ONLINE,
                label=[Candidacy.Label.STREET, Candidacy.Label.NEIGHBOURHOOD, Candidacy.Label.NOTHING][n % 3],
                statement="Pour des halls propres." if n % 2 else "",
                photo=_photo(),
            )
            election_services.candidacy_decide(
                candidacy=candidacy,
                accept=True,
                reason="",
                charter_signed=True,
                court_check_done=True,
                actor=committee,
            )
        election_services.roll_generate(election=election, actor=committee)
    with time_machine.travel(ef.AFTER_CANDIDACIES, tick=False):
        election_services.election_advance(election=election, actor=committee)
        ef.hold_key_ceremony(election, committee)
    accepted = list(election_selectors.accepted_candidacies(election).values_list("pk", flat=True))
    entries = list(election.roll.filter(removed=False).order_by("pk").values_list("pk", flat=True))
    booths = list(election.stations.order_by("pk"))
    with time_machine.travel(ef.DURING_VOTING, tick=False):
        election_services.election_advance(election=election, actor=committee)
        for n, entry in enumerate(entries[:online]):
            choices = [accepted[n % len(accepted)], accepted[(n + 1) % len(accepted)]]
            election_services.ballot_cast(election=election, roll_entry_id=entry, choices=choices)
        for n, entry in enumerate(entries[online : online + at_stations]):
            election_services.voter_check_in(
                election=election, station=booths[n % len(booths)], roll_entry_id=entry, actor=committee
            )
    with time_machine.travel(ef.AFTER_VOTING, tick=False):
        election_services.election_advance(election=election, actor=committee)
        ef.open_ballot_box(election, committee)
        for n, station in enumerate(booths):
            ballots = station.participations.count()
            votes = dict.fromkeys(accepted, 0)
            votes[accepted[n % len(accepted)]] = ballots
            election_services.station_count_enter(
                station=station, ballots=ballots, blank=0, void=0, votes=votes, actor=committee
            )
        election_services.election_advance(election=election, actor=committee)
    election.refresh_from_db()
    assert election.results_published
    return election


# --- The two datasets ---------------------------------------------------------------------------------------


def build_small() -> World:
    from home.demo import ensure_home_pages

    homes = ensure_home_pages()
    hood = make_neighbourhood("budget-marolles", "Les Marolles", "De Marollen")
    other = make_neighbourhood("budget-peterbos", "Peterbos", "Peterbos")
    tenant = mf.tenant(hood, _username("tenant"))
    news_index = make_news_index(homes["fr"])
    worker = mf.worker(hood, _username("worker"))
    worker.worker_assignments.create(neighbourhood=other)
    open_call = pf.call(phase="open")
    fr_home = HomePage.objects.get(pk=homes["fr"].pk)
    call_page = fr_home.add_child(
        instance=ProjectCallPage(
            title="Appel à projets",
            slug="appel",
            call=open_call,
            intro="Des projets pour les voisins.",
            rules="<p>Règles.</p>",
        )
    )
    world = World(
        hood=hood,
        hoods=[hood, other],
        tenant=tenant,
        news_index=news_index,
        worker=worker,
        reviewer=mf.worker(hood, _username("reviewer")),
        department=mf.department(),
        open_call=open_call,
        call_page=call_page,
    )
    _decided_call(funded=3)
    _add_news(world, 3)
    world.news_item = _news_item(world, [hood], pictures=1)
    _add_past_meetings(world, 1)
    world.meeting = _minutes_meeting(
        world, hood, days_ago=20, items=2, points=1, buildings=_buildings(hood, 1)
    )
    _add_upcoming_meetings(world, world.hoods, 2)
    _publish_call_page(call_page, questions=2, documents=1)
    _add_applications(open_call, 2)
    world.election = _published_election(candidates=6, households=10, stations=1, online=4, at_stations=4)
    return world


def grow(world: World) -> None:
    """About GROWTH times more of every kind of data the pages show."""
    new_hoods = [make_neighbourhood(f"budget-quartier-{n}", f"Quartier {n}") for n in range(3 * GROWTH)]
    for hood in new_hoods:
        world.worker.worker_assignments.create(neighbourhood=hood)
    world.hoods += new_hoods
    _add_news(world, 4 * GROWTH)
    world.news_item = _news_item(world, world.hoods[: 2 * GROWTH], pictures=GROWTH)
    _add_past_meetings(world, 2 * GROWTH)
    world.meeting = _minutes_meeting(
        world,
        world.hood,
        days_ago=10,
        items=2 * GROWTH,
        points=2 * GROWTH,
        buildings=_buildings(world.hood, GROWTH),
    )
    _add_upcoming_meetings(world, world.hoods, 3 * GROWTH)
    call = world.open_call
    for c in range(2 * GROWTH):
        Criterion.objects.create(
            call=call, name=f"Critère {c + 1}", description="Pourquoi.", weight=1 + c % 3
        )
    call.eligible_neighbourhoods.set(world.hoods[: 2 * GROWTH])
    _publish_call_page(
        ProjectCallPage.objects.get(pk=world.call_page.pk), questions=2 * GROWTH, documents=GROWTH
    )
    _add_applications(call, 2 * GROWTH)
    _decided_call(funded=3 * GROWTH)
    world.election = _published_election(
        candidates=3 * GROWTH,
        households=5 * GROWTH,
        stations=GROWTH,
        online=5 * GROWTH,
        at_stations=5 * GROWTH,
    )


# --- Measuring ----------------------------------------------------------------------------------------------


def page_urls(world: World) -> dict[str, str]:
    with translation.override("fr"):
        call_page_url = world.call_page.get_url()
        meeting = world.meeting
        slug = world.election.slug
        return {
            "home": "/fr/",
            "news list": world.news_index.get_url(),
            "news item": world.news_item.get_url(),
            "meetings list": reverse("meetings:index"),
            "meeting page (minutes)": reverse("meetings:meeting", args=[meeting.pk]),
            "meetings archive": reverse("meetings:archive", args=[world.hood.slug]),
            "call page": call_page_url,
            "project gallery": reverse("projectcall:gallery"),
            "election page": reverse("elections:detail", args=[slug]),
            "candidate list": reverse("elections:candidates", args=[slug]),
            "results": reverse("elections:results", args=[slug]),
        }


def measure(client: Client, url: str) -> Measure:
    client.get(url)  # warm-up: Wagtail's site and locale caches, image renditions
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    return Measure(
        url,
        response.status_code,
        [query["sql"] for query in context.captured_queries],
        response.content.decode(),
    )


def measure_all(world: World, clients: dict[str, Client]) -> dict[tuple[str, str], Measure]:
    urls = page_urls(world)
    # What a visitor following the "Projects" menu reaches: the current call's view sends them to its page.
    with translation.override("fr"):
        redirect = clients["anonymous"].get(reverse("projectcall:call_detail", args=[world.open_call.year]))
    assert (redirect.status_code, redirect["Location"]) == (302, urls["call page"])
    return {
        (page, visitor): measure(client, urls[page]) for visitor, client in clients.items() for page in PAGES
    }


@pytest.fixture(scope="module")
def measurements(
    django_db_setup: None, django_db_blocker: Any
) -> dict[tuple[str, str], tuple[Measure, Measure]]:
    """Both sizes measured for every page and visitor, in a transaction rolled back afterwards."""
    with django_db_blocker.unblock():
        cache.clear()  # Wagtail's cached site root paths of earlier tests
        try:
            with transaction.atomic():
                world = build_small()
                clients = {"anonymous": Client(), "tenant": Client()}
                clients["tenant"].force_login(world.tenant)
                small = measure_all(world, clients)
                grow(world)
                large = measure_all(world, clients)
                transaction.set_rollback(True)
        finally:
            cache.clear()
    return {key: (small[key], large[key]) for key in small}


def _explain(small: Measure, large: Measure) -> str:
    """The queries that differ between the two renders (times and cursor names left out)."""

    def plain(queries: list[str]) -> list[str]:
        queries = [re.sub(r"'\d{4}-\d\d-\d\d[^']*'", "'…'", q) for q in queries]
        return [re.sub(r"_django_curs_\d+_sync_\d+", "_django_curs", q)[:300] for q in queries]

    diff = difflib.unified_diff(
        plain(small.queries), plain(large.queries), "small", "large", lineterm="", n=0
    )
    return (
        f"{small.count} queries on {small.url} (small), {large.count} on {large.url} (large):\n"
        + "\n".join(diff)
    )


def _cases() -> list:
    return [pytest.param(name, visitor, id=f"{name}, {visitor}") for name in PAGES for visitor in VISITORS]


# (`page_name`, not `page`: that is pytest-playwright's browser page fixture.)
@pytest.mark.parametrize(("page_name", "visitor"), _cases())
def test_public_page_query_count_does_not_grow_with_the_data(
    measurements: dict[tuple[str, str], tuple[Measure, Measure]], page_name: str, visitor: str
) -> None:
    small, large = measurements[page_name, visitor]
    assert (small.status, large.status) == (200, 200), (small.url, large.url)
    rows = ROWS[page_name]
    assert 0 < small.html.count(rows) < large.html.count(rows), f"the large page shows no more {rows!r}"
    queries_small, queries_large = small.count, large.count
    assert queries_large == queries_small, _explain(small, large)


@pytest.mark.parametrize("page_name", PAGES)
def test_anonymous_public_page_stays_within_the_query_budget(
    measurements: dict[tuple[str, str], tuple[Measure, Measure]], page_name: str
) -> None:
    small, large = measurements[page_name, "anonymous"]
    queries = max(small.count, large.count)
    assert queries <= BUDGET, f"{queries} queries on {large.url}:\n" + "\n".join(
        q[:300] for q in large.queries
    )
