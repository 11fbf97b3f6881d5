"""Full-scale content for the benchmark (issue #7), on top of the register and the demo content.

Each builder takes the seeded generator, skips what is already there (a second `make bench` reuses the data) and runs
in one transaction, so an interrupted build leaves nothing half-made. Rows are written with bulk inserts, but hold
what the apps' services would have written (statuses, timestamps, relations, counters); what is left out is said in
each builder's docstring (mostly the audit log, mails and letters, which no public page reads).

- `build_news`: 2,000 news pages (1,500 French, 400 Dutch and 100 English translations) over five years, tagged
  with neighbourhoods, inserted straight into the Wagtail tree (paths, depth, numchild, url_path).
- `build_meetings`: five years of monthly meetings for each of the 20 bench neighbourhoods (1,200), agendas from
  departments, tenants' suggestions and follow-ups, minutes and action points for the past ones.
- `build_calls`: three decided project calls (2022-2024), 500 applications each, eligibility, reviews and scores,
  decisions within the envelope, funded projects in the public gallery.
- `build_election`: an election driven through `elections.services` (roll from `roll_generate`, candidacies,
  phases, paper counts, results), its online ballots and check-ins written in bulk; results published.
"""

from __future__ import annotations

import datetime
import random
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page
from wagtail.rich_text import RichText

from portal import roles
from portal.models import Building, Department, Neighbourhood, Organisation, Person, Site

BENCH_HOODS = "bench-"  # slug prefix of the register's neighbourhoods (bench.data)
BATCH = 2000


def _aware(day: datetime.date, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _hoods() -> list[Neighbourhood]:
    return list(Neighbourhood.objects.filter(slug__startswith=BENCH_HOODS).order_by("pk"))


def _users(prefix: str, count: int, group: str | None = None, first: str = "") -> list:
    """Bench accounts `<prefix>-<n>` without a usable password, created once."""
    User = get_user_model()
    names = [f"{prefix}-{i + 1}" for i in range(count)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(username=name, email=f"{name}@example.org", first_name=first, password=password)
            for name in names
            if name not in existing
        ],
        batch_size=BATCH,
    )
    users = list(User.objects.filter(username__in=names).order_by("pk"))
    if group:
        Group.objects.get_or_create(name=group)[0].user_set.add(*users)
    return users


def _insert_children(model: type[models.Model], objs: list[models.Model]) -> None:
    """Insert only the child table rows of a multi-table model (the `Page` rows exist already).

    `bulk_create` refuses multi-table models; this is the insert it would run for the child table.
    """
    fields = model._meta.local_concrete_fields
    for start in range(0, len(objs), 500):
        model._base_manager._insert(objs[start : start + 500], fields=fields)


# --- News ---------------------------------------------------------------------------------------------------

NEWS_FR, NEWS_NL, NEWS_EN = 1500, 400, 100

# (French, Dutch, English): title pattern ({hood} is the neighbourhood, or the company), lead, heading, paragraph.
NEWS_TOPICS = [
    (
        (
            "{hood} : travaux dans les halls",
            "Les halls d'entrée sont repeints et l'éclairage remplacé.",
            "Ce qui change",
            "Les travaux durent trois semaines. L'accès aux ascenseurs reste possible.",
        ),
        (
            "{hood}: werken in de inkomhallen",
            "De inkomhallen worden geschilderd en de verlichting vervangen.",
            "Wat verandert er",
            "De werken duren drie weken. De liften blijven bereikbaar.",
        ),
        (
            "{hood}: works in the entrance halls",
            "The entrance halls are repainted and the lighting replaced.",
            "What changes",
            "The works last three weeks. The lifts remain accessible.",
        ),
    ),
    (
        (
            "{hood} : fête des voisins",
            "Barbecue, musique et jeux pour les enfants dans la cour.",
            "Venez nombreux",
            "Apportez un plat à partager. Les boissons sont offertes par le comité.",
        ),
        (
            "{hood}: burenfeest",
            "Barbecue, muziek en spelletjes voor de kinderen op de binnenplaats.",
            "Kom allemaal",
            "Breng een gerecht mee om te delen. Het comité trakteert op drankjes.",
        ),
        (
            "{hood}: neighbours' party",
            "Barbecue, music and games for children in the courtyard.",
            "Everyone is welcome",
            "Bring a dish to share. Drinks are offered by the committee.",
        ),
    ),
    (
        (
            "{hood} : coupure d'eau chaude",
            "L'eau chaude sera coupée une journée pour l'entretien de la chaudière.",
            "Quand ?",
            "De 8 à 17 heures. Les personnes âgées peuvent demander de l'aide à l'accueil.",
        ),
        (
            "{hood}: geen warm water",
            "Het warm water wordt een dag afgesloten voor het onderhoud van de ketel.",
            "Wanneer?",
            "Van 8 tot 17 uur. Ouderen kunnen hulp vragen aan het onthaal.",
        ),
        (
            "{hood}: hot water cut",
            "Hot water will be cut for a day for the boiler maintenance.",
            "When?",
            "From 8 am to 5 pm. Older people can ask the front desk for help.",
        ),
    ),
    (
        (
            "{hood} : nouveau potager collectif",
            "Des bacs de culture sont installés ; il reste des parcelles libres.",
            "S'inscrire",
            "Inscrivez-vous au local du comité le mercredi après-midi.",
        ),
        (
            "{hood}: nieuwe gemeenschappelijke moestuin",
            "Er staan nieuwe kweekbakken; er zijn nog vrije perceeltjes.",
            "Inschrijven",
            "Schrijf u in bij het lokaal van het comité op woensdagnamiddag.",
        ),
        (
            "{hood}: new community garden",
            "Growing beds are installed; some plots are still free.",
            "Sign up",
            "Sign up at the committee room on Wednesday afternoons.",
        ),
    ),
    (
        (
            "{hood} : réunion d'information sur la rénovation",
            "Les architectes présentent le projet et répondent à vos questions.",
            "Le projet",
            "Nouvelles fenêtres et isolation : les logements seront plus chauds.",
        ),
        (
            "{hood}: infosessie over de renovatie",
            "De architecten stellen het project voor en beantwoorden uw vragen.",
            "Het project",
            "Nieuwe ramen en isolatie: de woningen worden warmer.",
        ),
        (
            "{hood}: information session on the renovation",
            "The architects present the project and answer your questions.",
            "The project",
            "New windows and insulation: homes will be warmer.",
        ),
    ),
    (
        (
            "{hood} : permanence des assistants sociaux",
            "Une permanence a lieu chaque jeudi matin au local des locataires.",
            "Sans rendez-vous",
            "Venez avec vos questions sur le loyer, les charges ou la vie dans l'immeuble.",
        ),
        (
            "{hood}: spreekuur van de maatschappelijk assistenten",
            "Elke donderdagochtend is er spreekuur in het huurderslokaal.",
            "Zonder afspraak",
            "Kom met uw vragen over de huur, de lasten of het leven in het gebouw.",
        ),
        (
            "{hood}: social workers' drop-in",
            "A drop-in session takes place every Thursday morning in the tenants' room.",
            "No appointment",
            "Come with your questions about rent, charges or life in the building.",
        ),
    ),
]
COMPANY = ("Toute la société", "Hele maatschappij", "The whole company")


def build_news(rng: random.Random) -> None:
    """2,000 live news pages under the demo's news indexes, without revisions or search index entries (the public
    pages read neither; the news search falls back to the database backend's index, which stays demo-sized)."""
    from home.models import NewsIndexPage, NewsPage

    if NewsPage.objects.filter(slug__startswith="bench-").count() >= NEWS_FR + NEWS_NL + NEWS_EN:
        return
    indexes = {
        index.locale.language_code: index
        for index in NewsIndexPage.objects.select_related("locale").order_by("path")
    }
    hoods = _hoods()
    today = timezone.localdate()
    news_ct = ContentType.objects.get_for_model(NewsPage)
    with transaction.atomic():
        items = []
        for n in range(NEWS_FR):
            day = today - datetime.timedelta(days=rng.randrange(5 * 365))
            chosen = [] if rng.random() < 0.15 else rng.sample(hoods, 1 if rng.random() < 0.8 else 2)
            items.append((n, day, rng.randrange(len(NEWS_TOPICS)), chosen, _uuid(rng)))
        translated = rng.sample(items, NEWS_NL)
        english = rng.sample(translated, NEWS_EN)
        for code, lang, subset in (("fr", 0, items), ("nl", 1, translated), ("en", 2, english)):
            index = Page.objects.get(pk=indexes[code].pk)
            subset = sorted(subset, key=lambda item: (item[1], item[0]))  # added in date order, like editors
            last = index.get_last_child()
            step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
            pages, news, tags = [], [], []
            for offset, (n, day, topic, chosen, key) in enumerate(subset):
                title_pattern, lead, heading, paragraph = NEWS_TOPICS[topic][lang]
                place = " / ".join(h.name_nl if lang == 1 else h.name_fr for h in chosen) or COMPANY[lang]
                title = title_pattern.format(hood=place)
                slug = f"bench-{code}-{n:04d}"
                published = _aware(day, 9)
                page = Page(
                    path=Page._get_path(index.path, index.depth + 1, step + offset),
                    depth=index.depth + 1,
                    numchild=0,
                    title=title,
                    draft_title=title,
                    slug=slug,
                    url_path=f"{index.url_path}{slug}/",
                    content_type=news_ct,
                    locale_id=index.locale_id,
                    translation_key=key,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                    latest_revision_created_at=published,
                )
                pages.append(page)
                news.append(
                    NewsPage(
                        date=day,
                        lead=lead,
                        body=[
                            ("heading", {"text": heading, "level": "h2"}),
                            ("paragraph", RichText(f"<p>{paragraph}</p>")),
                        ],
                    )
                )
                tags.append(chosen)
            Page.objects.bulk_create(pages, batch_size=500)
            through = NewsPage._meta.get_field("neighbourhoods").remote_field.through
            links = []
            for page, item, chosen in zip(pages, news, tags, strict=True):
                item.page_ptr_id = item.id = page.pk
                links += [through(newspage_id=page.pk, neighbourhood_id=h.pk) for h in chosen]
            _insert_children(NewsPage, news)
            through.objects.bulk_create(links, batch_size=BATCH)
            Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(pages))


# --- Meetings -----------------------------------------------------------------------------------------------

MEETING_MONTHS = 60
MEETINGS_AHEAD = 4  # months planned ahead of today; the rest of the five years are past

DEPARTMENT_TOPICS = {
    "technique": [
        (
            "Chauffage et eau chaude",
            "Pannes de l'hiver et planning des réparations.",
            "Purger les radiateurs",
        ),
        ("Ascenseurs", "Pannes répétées, contrat de maintenance.", "Afficher le numéro d'urgence"),
        ("Parlophones", "Remplacement des parlophones.", "Vérifier les combinés défectueux"),
    ],
    "entretien": [
        ("Propreté des halls", "Nouveau planning de nettoyage.", "Ajouter un passage le samedi"),
        ("Dépôts clandestins", "Encombrants dans les caves.", "Vider la cave du bloc B"),
    ],
    "loyers-charges": [
        ("Décompte des charges", "Explication du décompte annuel.", "Organiser une permanence charges"),
    ],
    "renovation": [
        (
            "Rénovation des façades",
            "Calendrier du chantier et nuisances.",
            "Envoyer le calendrier bloc par bloc",
        ),
        ("Remplacement des châssis", "Visite des logements témoins.", "Fixer les dates des visites"),
    ],
}
TENANT_TOPICS = [
    ("Bancs et éclairage dans la cour", "Le soir, la cour est sombre et il n'y a nulle part où s'asseoir."),
    ("Vitesse des voitures", "Les voitures roulent trop vite devant l'école."),
    ("Local pour les jeunes", "Les jeunes n'ont pas d'endroit pour se retrouver."),
    ("Boîtes aux lettres abîmées", "Plusieurs boîtes aux lettres ne ferment plus."),
    ("Pigeons sur les balcons", "Les pigeons salissent les balcons des derniers étages."),
]
WORKER_TOPICS = [
    ("Nouvelles du quartier", "Tour de table des nouvelles."),
    ("Fête des voisins", "Organisation avec le projet de cohésion sociale."),
    ("Appel à projets", "Présentation de l'appel à projets collectifs."),
]


def _departments() -> dict[str, Department]:
    from meetings.demo import DEPARTMENTS

    result = {}
    for slug, fr, nl in DEPARTMENTS:
        result[slug], _created = Department.objects.get_or_create(
            slug=slug, defaults={"name_fr": fr, "name_nl": nl}
        )
    return result


def build_meetings(rng: random.Random) -> None:
    """Monthly meetings of the 20 bench neighbourhoods over five years (1,200).

    Past meetings: agenda published, invitation sent, held, minutes written, reviewed by a second worker and
    published, 2 action points each (followed up at the next meeting, done after 45 days, with their updates);
    the last past meeting of every other neighbourhood still has its minutes in review. The next meeting has its
    agenda published when its invitation is due; the later ones are drafts with proposals and the open action
    points as follow-ups (put there by `meetings.services.agenda_follow_ups_sync`, the service itself).
    Not written: the audit log and the mails and letters (invitations, minutes) the services queue.
    """
    from meetings.follow_ups import agenda_follow_ups_sync
    from meetings.models import (
        ActionPoint,
        ActionPointUpdate,
        AgendaItem,
        AttendanceCount,
        Meeting,
        TopicSuggestion,
    )
    from meetings.services import series_dates

    hoods = _hoods()
    if Meeting.objects.filter(neighbourhood__in=hoods).count() >= len(hoods) * MEETING_MONTHS:
        return
    today = timezone.localdate()
    now = timezone.now()
    departments = _departments()
    with transaction.atomic():
        writer, reviewer = _users("bench-worker", 2, group=roles.COLLECTIVE_WORKERS, first="Bench")
        buildings: dict[int, list[int]] = {}
        for building_id, hood_id in (
            Building.objects.filter(site__neighbourhood__in=hoods)
            .order_by("pk")
            .values_list("pk", "site__neighbourhood_id")
        ):
            buildings.setdefault(hood_id, []).append(building_id)
        first = today.replace(day=1)
        month_index = first.year * 12 + first.month - 1 - (MEETING_MONTHS - MEETINGS_AHEAD)
        start_year, start_month = divmod(month_index, 12)
        plans = []  # (hood, dates)
        meetings: list[Meeting] = []
        for number, hood in enumerate(hoods):
            dates = series_dates(
                year=start_year,
                first_month=start_month + 1,
                months=MEETING_MONTHS,
                weekday=number % 5,
                week=1 + number % 3,
                skip_months=set(),
            )
            plans.append((hood, dates))
            past = [d for d in dates if d < today]
            series = {year: _uuid(rng) for year in {d.year for d in dates}}
            for day in dates:
                meeting = Meeting(
                    neighbourhood=hood,
                    date=day,
                    starts_at=datetime.time(18, 0),
                    ends_at=datetime.time(20, 0),
                    place_name=f"Salle communautaire {hood.name_fr}",
                    place_address=f"Rue du Banc {number + 1}, 1000 Bruxelles",
                    accessibility="Rez-de-chaussée, sans marche. Toilettes adaptées.",
                    languages=Meeting.Languages.FRENCH_DUTCH,
                    proposal_deadline=day - datetime.timedelta(days=14),
                    invitation_days=10,
                    series=series[day.year],
                )
                if day < today:
                    in_review = day == past[-1] and number % 2 == 1
                    meeting.agenda_published_at = _aware(day - datetime.timedelta(days=13), 10)
                    meeting.invitation_sent_at = _aware(day - datetime.timedelta(days=10), 8)
                    meeting.held_recorded_at = _aware(day + datetime.timedelta(days=1), 9)
                    meeting.tenants_present = rng.randint(8, 45)
                    meeting.minutes_introduction = (
                        "Réunion animée par les assistants sociaux collectifs. Tour de table des nouvelles."
                    )
                    meeting.minutes_submitted_by = writer
                    meeting.minutes_submitted_at = _aware(day + datetime.timedelta(days=3), 11)
                    if in_review:
                        meeting.status = Meeting.Status.HELD
                        meeting.minutes_status = Meeting.MinutesStatus.IN_REVIEW
                    else:
                        meeting.status = Meeting.Status.MINUTES_PUBLISHED
                        meeting.minutes_status = Meeting.MinutesStatus.PUBLISHED
                        meeting.minutes_approved_by = reviewer
                        meeting.minutes_approved_at = _aware(day + datetime.timedelta(days=5), 14)
                        meeting.minutes_published_at = _aware(day + datetime.timedelta(days=6), 10)
                meetings.append(meeting)
        Meeting.objects.bulk_create(meetings, batch_size=BATCH)

        # Past meetings: agenda items, tenants' suggestions, action points (followed up at the next meeting).
        items: list[AgendaItem] = []
        suggestions: list[TopicSuggestion] = []
        points: list[tuple[Meeting, AgendaItem, str]] = []
        attendance: list[AttendanceCount] = []
        by_hood: dict[int, list[Meeting]] = {}
        for meeting in meetings:
            by_hood.setdefault(meeting.neighbourhood_id, []).append(meeting)
        for hood_meetings in by_hood.values():
            for meeting in hood_meetings:
                if meeting.date >= today:
                    continue
                position = 1
                for slug in rng.sample(sorted(DEPARTMENT_TOPICS), rng.randint(1, 3)):
                    title, description, action = rng.choice(DEPARTMENT_TOPICS[slug])
                    item = AgendaItem(
                        meeting=meeting,
                        position=position,
                        kind=AgendaItem.Kind.DEPARTMENT,
                        status=AgendaItem.Status.ACCEPTED,
                        title=title,
                        description=description,
                        department=departments[slug],
                        presenter="Service " + departments[slug].name_fr,
                        estimated_minutes=20,
                        proposed_at=_aware(meeting.date - datetime.timedelta(days=20), 10),
                        summary=f"{description} Les locataires posent leurs questions.",
                        decisions="Le service reviendra avec un calendrier précis.",
                    )
                    items.append(item)
                    points.append((meeting, item, action))
                    position += 1
                for _n in range(rng.randint(0, 2)):
                    title, description = rng.choice(TENANT_TOPICS)
                    item = AgendaItem(
                        meeting=meeting,
                        position=position,
                        kind=AgendaItem.Kind.TENANT,
                        status=AgendaItem.Status.ACCEPTED,
                        title=title,
                        description=description,
                        estimated_minutes=10,
                        proposed_at=_aware(meeting.date - datetime.timedelta(days=18), 10),
                        summary="Plusieurs locataires confirment le problème.",
                        decisions="Les assistants sociaux collectifs transmettent la demande.",
                    )
                    items.append(item)
                    hood_buildings = buildings.get(meeting.neighbourhood_id) or [None]
                    suggestions.append(
                        TopicSuggestion(
                            neighbourhood_id=meeting.neighbourhood_id,
                            building_id=rng.choice(hood_buildings),
                            title=title,
                            description=description,
                            channel=rng.choice(list(TopicSuggestion.Channel.values)),
                            contact_name="",
                            language="fr",
                            status=TopicSuggestion.Status.SCHEDULED,
                            agenda_item=item,
                            answer="Ce sujet est à l'ordre du jour de la prochaine réunion.",
                            answered_at=_aware(meeting.date - datetime.timedelta(days=16), 10),
                            answered_by=writer,
                            created_at=_aware(meeting.date - datetime.timedelta(days=25), 19),
                        )
                    )
                    position += 1
                title, description = rng.choice(WORKER_TOPICS)
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        position=position,
                        kind=AgendaItem.Kind.WORKER,
                        status=AgendaItem.Status.ACCEPTED,
                        title=title,
                        description=description,
                        estimated_minutes=15,
                        proposed_at=_aware(meeting.date - datetime.timedelta(days=20), 10),
                        summary="Échange d'informations.",
                    )
                )
                for building_id in rng.sample(buildings.get(meeting.neighbourhood_id, []), 2):
                    attendance.append(
                        AttendanceCount(meeting=meeting, building_id=building_id, tenants_present=1)
                    )
        AgendaItem.objects.bulk_create(items, batch_size=BATCH)
        for suggestion in suggestions:
            suggestion.agenda_item_id = suggestion.agenda_item.pk
        TopicSuggestion.objects.bulk_create(suggestions, batch_size=BATCH)
        AttendanceCount.objects.bulk_create(attendance, batch_size=BATCH)

        action_points = []
        for meeting, item, action in points:
            due = meeting.date + datetime.timedelta(days=45)
            done = due < today and meeting.minutes_status == Meeting.MinutesStatus.PUBLISHED
            action_points.append(
                ActionPoint(
                    meeting=meeting,
                    agenda_item=item,
                    neighbourhood_id=meeting.neighbourhood_id,
                    description=action,
                    department_id=item.department_id,
                    due_date=due,
                    status=ActionPoint.Status.DONE if done else ActionPoint.Status.IN_PROGRESS,
                    status_note="Fait." if done else "Commande passée, en attente du fournisseur.",
                    status_updated_at=_aware(due if done else meeting.date + datetime.timedelta(days=7), 10),
                    done_at=_aware(due, 10) if done else None,
                    created_at=meeting.minutes_submitted_at,
                )
            )
        ActionPoint.objects.bulk_create(action_points, batch_size=BATCH)
        updates, follow_ups = [], []
        positions: dict[int, int] = {}
        next_meeting = {}
        for hood_meetings in by_hood.values():
            for earlier, later in zip(hood_meetings, hood_meetings[1:], strict=False):
                next_meeting[earlier.pk] = later
        for point in action_points:
            updates.append(
                ActionPointUpdate(
                    action_point=point,
                    status=ActionPoint.Status.IN_PROGRESS,
                    note="Commande passée, en attente du fournisseur.",
                    by=writer,
                    created_at=_aware(point.meeting.date + datetime.timedelta(days=7), 10),
                )
            )
            if point.status == ActionPoint.Status.DONE:
                updates.append(
                    ActionPointUpdate(
                        action_point=point,
                        status=point.status,
                        note="Fait.",
                        by=writer,
                        created_at=point.done_at,
                    )
                )
            later = next_meeting.get(point.meeting_id)
            # Unfinished when the next (past) agenda was drafted: it came back as a follow-up item.
            if later is not None and later.date < today:
                follow_ups.append(
                    AgendaItem(
                        meeting=later,
                        position=positions.setdefault(later.pk, 20) + 1,
                        kind=AgendaItem.Kind.FOLLOW_UP,
                        status=AgendaItem.Status.ACCEPTED,
                        title=point.description,
                        description="Commande passée, en attente du fournisseur.",
                        department_id=point.department_id,
                        estimated_minutes=5,
                        follow_up_of=point,
                        proposed_at=_aware(later.date - datetime.timedelta(days=20), 10),
                        summary="Point sur l'avancement.",
                    )
                )
                positions[later.pk] += 1
        ActionPointUpdate.objects.bulk_create(updates, batch_size=BATCH)
        AgendaItem.objects.bulk_create(follow_ups, batch_size=BATCH)

        # Meetings to come: proposals from departments, follow-ups of the open action points (by the service).
        for hood, _dates in plans:
            upcoming = [m for m in by_hood[hood.pk] if m.date >= today]
            for rank, meeting in enumerate(upcoming):
                slugs = rng.sample(sorted(DEPARTMENT_TOPICS), 2)
                for position, slug in enumerate(slugs, start=1):
                    title, description, _action = rng.choice(DEPARTMENT_TOPICS[slug])
                    AgendaItem.objects.create(
                        meeting=meeting,
                        position=position,
                        kind=AgendaItem.Kind.DEPARTMENT,
                        status=AgendaItem.Status.ACCEPTED if rank == 0 else AgendaItem.Status.PROPOSED,
                        title=title,
                        description=description,
                        department=departments[slug],
                        estimated_minutes=20,
                    )
                if rank == 0:  # open action points go on the next meeting only (meetings/follow_ups.py)
                    agenda_follow_ups_sync(neighbourhood=hood)
                due = _aware(meeting.date - datetime.timedelta(days=meeting.invitation_days), 8)
                if rank == 0 and due <= now:
                    Meeting.objects.filter(pk=meeting.pk).update(
                        status=Meeting.Status.AGENDA_PUBLISHED,
                        agenda_published_at=due - datetime.timedelta(days=3),
                        invitation_sent_at=due,
                    )
        TopicSuggestion.objects.bulk_create(
            [
                TopicSuggestion(
                    neighbourhood=hood,
                    title=title,
                    description=description,
                    channel=TopicSuggestion.Channel.PAPER,
                    contact_name="Mme Dupont",
                    language="fr",
                )
                for hood in hoods
                for title, description in rng.sample(TENANT_TOPICS, 2)
            ]
        )


# --- Project calls ------------------------------------------------------------------------------------------

CALL_YEARS = (2022, 2023, 2024)
APPLICATIONS_PER_CALL = 500
REVIEWERS = 3

PROJECTS = [
    ("Potager collectif", "Des bacs de culture dans la cour, entretenus par les voisins."),
    ("Fresque murale", "Une fresque peinte avec les enfants sur le mur du parking."),
    ("Atelier vélo", "Un atelier de réparation de vélos le samedi."),
    ("Fête des voisins", "Une fête annuelle avec repas partagé et concert."),
    ("École des devoirs", "Aide aux devoirs quatre jours par semaine."),
    ("Boîtes à livres", "Des boîtes à livres dans les halls d'entrée."),
    ("Club de sport", "Football et basket pour les jeunes du quartier."),
    ("Cours de cuisine", "Des cours de cuisine du monde entre voisins."),
    ("Excursion familiale", "Une journée à la mer pour les familles."),
    ("Repair café", "Réparer ensemble petits appareils et vêtements."),
]
BUDGET_ITEMS = [
    "Matériel",
    "Animation",
    "Location de salle",
    "Repas",
    "Assurance",
    "Transport",
    "Communication",
]


def build_calls(rng: random.Random) -> None:
    """Three decided calls of 500 applications each.

    Per call: 5 % drafts never submitted, 3 % withdrawn, the rest submitted (numbered PC-<year>-NNN in order),
    checked for eligibility (about 10 % not eligible, with a reason), scored on every criterion by three reviewers
    who declared no conflict, then decided at once like `projectcall.services.decision_take`: best weighted scores
    funded with the amount asked while the envelope lasts, the others rejected; funded projects completed, with an
    accepted final report. Not written: the audit log and the applicants' notifications.
    """
    from projectcall.demo import CRITERIA
    from projectcall.models import (
        ApplicantKind,
        Application,
        BudgetLine,
        Call,
        ConflictDeclaration,
        Criterion,
        Decision,
        EligibilityCheck,
        ProgressReport,
        Review,
        Score,
    )

    S = Application.Status
    todo = sorted(
        set(CALL_YEARS) - set(Call.objects.filter(year__in=CALL_YEARS).values_list("year", flat=True))
    )
    if not todo:
        return
    hoods = _hoods()
    sites: dict[int, list[int]] = {}
    for site_id, hood_id in (
        Site.objects.filter(neighbourhood__in=hoods).order_by("pk").values_list("pk", "neighbourhood_id")
    ):
        sites.setdefault(hood_id, []).append(site_id)
    with transaction.atomic():
        applicants = _users("bench-applicant", 800, first="Locataire")
        _link_persons(applicants)
        worker = _users("bench-worker", 2, group=roles.COLLECTIVE_WORKERS, first="Bench")[0]
        jury = _users("bench-jury", REVIEWERS, group=roles.REVIEWERS, first="Jury")
        organisations = list(Organisation.objects.filter(name__startswith="Bench asbl ").order_by("pk"))
        if not organisations:
            organisations = Organisation.objects.bulk_create(
                Organisation(
                    name=f"Bench asbl {i + 1}",
                    kind=Organisation.Kind.ASSOCIATION,
                    email=f"asbl{i + 1}@example.org",
                )
                for i in range(30)
            )
        for year in todo:
            decided_at = _aware(datetime.date(year + 1, 3, 15), 14)
            call = Call(
                year=year,
                title=f"Appel à projets collectifs {year} / Projectoproep {year}",
                envelope=Decimal("255000"),
                max_per_project=Decimal("50000"),
                eligible_kinds=[],
                opens_at=_aware(datetime.date(year, 9, 15)),
                closes_at=_aware(datetime.date(year + 1, 1, 31), 23, 59),
                decision_on=datetime.date(year + 1, 3, 15),
                projects_end_on=datetime.date(year + 1, 12, 31),
                final_report_due_on=datetime.date(year + 2, 1, 31),
                decided_at=decided_at,
            )
            call.full_clean()
            call.save()
            criteria = Criterion.objects.bulk_create(
                Criterion(call=call, name=name, description=description, weight=weight, sort_order=position)
                for position, (name, description, weight) in enumerate(CRITERIA)
            )
            weights = {c.pk: c.weight for c in criteria}
            apps, lines = [], []
            number = 0
            for n in range(APPLICATIONS_PER_CALL):
                owner = applicants[(n * 7 + year) % len(applicants)]
                hood = rng.choice(hoods)
                title, summary = rng.choice(PROJECTS)
                kind = rng.choice(
                    [ApplicantKind.TENANT_GROUP, ApplicantKind.TENANT_GROUP, ApplicantKind.TENANT]
                    + [ApplicantKind.ASSOCIATION, ApplicantKind.TENANT_COMMITTEE]
                )
                organisation = (
                    rng.choice(organisations)
                    if kind not in (ApplicantKind.TENANT, ApplicantKind.TENANT_GROUP)
                    else None
                )
                roll = rng.random()
                status = S.DRAFT if roll < 0.05 else S.WITHDRAWN if roll < 0.08 else S.SUBMITTED
                submitted_at = None
                reference = ""
                if status != S.DRAFT:
                    number += 1
                    reference = f"PC-{year}-{number:03d}"
                    submitted_at = call.opens_at + datetime.timedelta(
                        seconds=(call.closes_at - call.opens_at).total_seconds() * number / 520
                    )
                apps.append(
                    Application(
                        call=call,
                        reference=reference,
                        status=status,
                        owner=owner,
                        applicant_kind=kind,
                        organisation=organisation,
                        group_name=f"Locataires de {hood.name_fr}"
                        if kind == ApplicantKind.TENANT_GROUP
                        else "",
                        title=f"{title} {hood.name_fr}",
                        summary=summary,
                        neighbourhood=hood,
                        site_id=rng.choice(sites[hood.pk]),
                        beneficiaries="Les locataires du site, petits et grands.",
                        beneficiaries_count=rng.randint(10, 400),
                        activities=summary,
                        timeline="Printemps : préparation. Été : réalisation. Automne : bilan.",
                        partners="Maison de quartier",
                        contact_name=owner.first_name or owner.username,
                        contact_email=owner.email,
                        language=rng.choice(["fr", "fr", "nl"]),
                        submitted_at=submitted_at,
                        project_status=Application.ProjectStatus.NOT_STARTED,
                    )
                )
            Application.objects.bulk_create(apps, batch_size=BATCH)
            totals = {}
            for app in apps:
                amounts = [Decimal(rng.randrange(300, 12000, 50)) for _ in range(rng.randint(1, 4))]
                totals[app.pk] = sum(amounts, Decimal("0"))
                lines += [
                    BudgetLine(
                        application=app, item=BUDGET_ITEMS[i % len(BUDGET_ITEMS)], amount=amount, position=i
                    )
                    for i, amount in enumerate(amounts)
                ]
            BudgetLine.objects.bulk_create(lines, batch_size=BATCH)

            checked_at = call.closes_at + datetime.timedelta(days=10)
            checks, eligible = [], []
            for app in apps:
                if app.status != S.SUBMITTED:
                    continue
                ok = rng.random() >= 0.1
                area_ok = ok or rng.random() < 0.5
                checks.append(
                    EligibilityCheck(
                        application=app,
                        applicant_ok=True,
                        area_ok=area_ok,
                        budget_ok=True,
                        complete_ok=ok or not area_ok,
                        eligible=ok,
                        reason="" if ok else "Le projet ne concerne pas un site de la société.",
                        checked_by=worker,
                        checked_at=checked_at,
                    )
                )
                app.status = S.ELIGIBLE if ok else S.INELIGIBLE
                if ok:
                    eligible.append(app)
            EligibilityCheck.objects.bulk_create(checks, batch_size=BATCH)

            conflicts, reviews = [], []
            for app in eligible:
                for reviewer in jury:
                    conflicts.append(
                        ConflictDeclaration(application=app, reviewer=reviewer, has_conflict=False)
                    )
                    reviews.append(
                        Review(
                            application=app,
                            reviewer=reviewer,
                            comment="Projet intéressant.",
                            submitted_at=checked_at + datetime.timedelta(days=rng.randint(1, 20)),
                        )
                    )
            ConflictDeclaration.objects.bulk_create(conflicts, batch_size=BATCH)
            Review.objects.bulk_create(reviews, batch_size=BATCH)
            scores, sums = [], {}
            for review in reviews:
                quality = (review.application_id % 5) / 2
                for criterion in criteria:
                    value = max(0, min(5, round(quality + rng.gauss(1.5, 1))))
                    scores.append(Score(review=review, criterion=criterion, value=value))
                    sums.setdefault(review.application_id, []).append(weights[criterion.pk] * value)
            Score.objects.bulk_create(scores, batch_size=BATCH)

            total_weight = sum(weights.values())
            ranked = sorted(
                eligible, key=lambda a: (-Decimal(sum(sums[a.pk])) / (total_weight * REVIEWERS), a.reference)
            )
            remaining = call.envelope
            decisions, reports = [], []
            for app in ranked:
                amount = min(totals[app.pk], call.max_per_project)
                funded = amount <= remaining and len([d for d in decisions if d.funded]) < 40
                if funded:
                    remaining -= amount
                decisions.append(
                    Decision(
                        application=app,
                        funded=funded,
                        amount=amount if funded else Decimal("0"),
                        motivation="Projet porté par les locataires, budget réaliste."
                        if funded
                        else "D'autres projets ont obtenu un meilleur score.",
                        decided_by=worker,
                        decided_at=decided_at,
                    )
                )
                app.status = S.FUNDED if funded else S.REJECTED
                if funded:
                    app.project_status = Application.ProjectStatus.COMPLETED
                    reports.append(
                        ProgressReport(
                            application=app,
                            kind=ProgressReport.Kind.FINAL,
                            text="Le projet est terminé ; les voisins ont participé nombreux.",
                            amount_spent=amount,
                            status=ProgressReport.Status.ACCEPTED,
                            submitted_by=app.owner,
                            reviewed_by=worker,
                        )
                    )
            Decision.objects.bulk_create(decisions, batch_size=BATCH)
            ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
            Application.objects.bulk_update(apps, ["status", "project_status"], batch_size=BATCH)
            # auto_now_add / auto_now stamped today: back to the call's own dates.
            call.applications.update(
                created_at=call.opens_at + datetime.timedelta(days=1), updated_at=decided_at
            )


def _link_persons(users: list) -> None:
    """Bench accounts belong to lease holders of the register (one person each), like tenants' own accounts."""
    if Person.objects.filter(user__in=users).exists():
        return
    persons = list(
        Person.objects.filter(
            external_ref__startswith="BP-", user__isnull=True, role=Person.Role.LEASE_HOLDER
        ).order_by("pk")[: len(users)]
    )
    for person, user in zip(persons, users, strict=False):
        person.user = user
    Person.objects.bulk_update(persons, ["user"], batch_size=BATCH)


# --- Election -----------------------------------------------------------------------------------------------

ELECTION_SLUG = "cocolo-bench"
CANDIDATES = 24
TURNOUT = 0.12
ONLINE_SHARE = 0.55


def build_election(rng: random.Random) -> None:
    """An election of the council over the whole register, results published (complaint period running).

    Driven through `elections.services` at the dates of each phase (`now=`): creation, candidacies received and
    decided, the roll from `roll_generate` (every eligible person of the register), the phases, the paper counts of
    the four stations and the results. Only the votes are written in bulk, as `voter_check_in` (check-ins at the
    stations, a few by proxy) and `ballot_cast` (online: participation, ballot with its receipt, choices) write
    them, since those services refuse to run outside the voting hours. Invitation letters are not made.
    """
    from elections import ballot_box, selectors, services
    from elections.models import Ballot, Candidacy, Election, Participation, PollingStation

    if Election.objects.filter(slug=ELECTION_SLUG).exists():
        return
    today = timezone.localdate()

    def day(offset: int) -> datetime.date:
        return today + datetime.timedelta(days=offset)

    with transaction.atomic():
        election = services.election_create(
            actor=None,
            council_name="Conseil consultatif des locataires (bench) / Adviesraad van de huurders (bench)",
            slug=ELECTION_SLUG,
            seats=9,
            min_candidates=9,
            quorum_percent=5,
            roll_reference_date=day(-150),
            candidacies_open_on=day(-120),
            candidacies_close_on=day(-80),
            candidates_published_on=day(-60),
            voting_opens_at=_aware(day(-21), 8),
            voting_closes_at=_aware(day(-7), 20),
            complaints_end_on=day(30),
            online_voting=True,
            how_to_vote="Votez au bureau de vote avec votre lettre, ou en ligne avec votre code personnel.",
        )
        stations = [
            PollingStation.objects.create(
                election=election,
                name=f"Bureau de vote {n + 1}",
                address=f"Rue du Banc {n + 1}, 1000 Bruxelles",
                opens_at=_aware(day(-21 + 3 * n), 9),
                closes_at=_aware(day(-21 + 3 * n), 17),
                accessibility="Accessible en chaise roulante",
            )
            for n in range(4)
        ]
        services.election_advance(election=election, actor=None, now=_aware(day(-120), 9))
        people = Person.objects.current(today).filter(
            external_ref__startswith="BP-", role=Person.Role.LEASE_HOLDER, registered_on__lte=day(-800)
        )
        chosen = rng.sample(list(people.order_by("pk").values_list("pk", flat=True)[:5000]), CANDIDATES)
        statements = [
            "Pour des ascenseurs réparés plus vite.",
            "Voor nette en veilige gebouwen.",
            "Des activités pour les jeunes.",
            "",
        ]
        for n, person in enumerate(Person.objects.filter(pk__in=chosen).order_by("pk")):
            candidacy = services.candidacy_submit(
                election=election,
                person=person,
                channel=Candidacy.Channel.PAPER,  # entered by a worker (online ones close with the period)
                received_on=day(-115 + n),
                label=[Candidacy.Label.STREET, Candidacy.Label.NEIGHBOURHOOD, Candidacy.Label.NOTHING][n % 3],
                statement=statements[n % len(statements)],
            )
            refuse = n % 11 == 10
            services.candidacy_decide(
                candidacy=candidacy,
                accept=not refuse,
                reason="Charte non signée" if refuse else "",
                charter_signed=not refuse,
                court_check_done=True,
                actor=None,
            )
        services.roll_generate(election=election, actor=None)
        services.election_advance(election=election, actor=None, now=_aware(day(-60), 9))
        shares = [
            s.text
            for s in services.ballot_box_create(
                election=election, holders=["Bench holder 1", "Bench holder 2", "Bench holder 3"], actor=None
            )
        ]
        for share in shares:
            services.key_share_check(election=election, share=share, actor=None)
        services.election_advance(election=election, actor=None, now=_aware(day(-21), 8))
        public_key = bytes(election.ballot_box.public_key)
        ctx = ballot_box.context(election.pk, public_key)

        candidates = list(selectors.accepted_candidacies(election).values_list("pk", flat=True))
        popularity = [rng.random() ** 2 + 0.05 for _ in candidates]
        roll = list(election.roll.filter(removed=False).order_by("person_id").values_list("pk", flat=True))
        voters = rng.sample(roll, int(len(roll) * TURNOUT))
        online_count = int(len(voters) * ONLINE_SHARE)
        participations, ballots = [], []
        for entry in voters[:online_count]:
            participations.append(
                Participation(election=election, roll_entry_id=entry, channel=Participation.Channel.ONLINE)
            )
            sealed = ballot_box.seal(_ballot(rng, candidates, popularity), public_key=public_key, ctx=ctx)
            ballots.append(
                Ballot(id=_uuid(rng), election=election, sealed=sealed, receipt=ballot_box.receipt_of(sealed))
            )
        paper: dict[int, list[list[int]]] = {s.pk: [] for s in stations}
        holders_used: set[int] = set()
        station_voters = voters[online_count:]
        for n, entry in enumerate(station_voters):
            station = stations[n % len(stations)]
            holder = None
            if n % 40 == 39 and station_voters[n - 4] not in holders_used:
                holder = station_voters[n - 4]  # a neighbour who came to the same station
                holders_used.add(holder)
            participations.append(
                Participation(
                    election=election,
                    roll_entry_id=entry,
                    channel=Participation.Channel.PROXY if holder else Participation.Channel.STATION,
                    station=station,
                    proxy_holder_id=holder,
                )
            )
            paper[station.pk].append(_ballot(rng, candidates, popularity))
        rng.shuffle(participations)
        Participation.objects.bulk_create(participations, batch_size=BATCH)
        Ballot.objects.bulk_create(ballots, batch_size=BATCH)

        services.election_advance(election=election, actor=None, now=_aware(day(-7), 20))
        services.ballot_box_open(election=election, shares=shares[:2], actor=None, now=_aware(day(-7), 21))
        for station in stations:
            box = paper[station.pk]
            void = sum(1 for _b in box if rng.random() < 0.01)
            counted = box[void:]
            votes = dict.fromkeys(candidates, 0)
            for picked in counted:
                for c in picked:
                    votes[c] += 1
            services.station_count_enter(
                station=station,
                ballots=len(box),
                blank=sum(1 for picked in counted if not picked),
                void=void,
                votes=votes,
                actor=None,
            )
        services.election_advance(election=election, actor=None, now=_aware(day(-6), 10))


def _ballot(rng: random.Random, candidates: list[int], popularity: list[float]) -> list[int]:
    """A voter's choices: blank now and then, else one to five candidates, the popular ones more often."""
    if rng.random() < 0.03:
        return []
    picked: set[int] = set()
    for _n in range(rng.randint(1, 5)):
        picked.add(rng.choices(candidates, weights=popularity)[0])
    return sorted(picked)
