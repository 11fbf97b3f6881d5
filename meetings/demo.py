"""Demo data: a year of monthly tenant meetings for Les Marolles and Peterbos (six past, six to come).

Past meetings have published minutes, attendance and action points (some done, some still open); the next
meeting of Les Marolles has a published agenda, the next one of Peterbos a draft with proposals waiting and the
open action points as follow-ups. Written straight to the models (no e-mails or letters are sent); idempotent:
a neighbourhood that already has meetings is left alone.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from portal.models import Department, Neighbourhood

from .follow_ups import agenda_follow_ups_sync
from .models import ActionPoint, AgendaItem, Meeting, TopicSuggestion
from .services import series_dates

DEPARTMENTS = [
    ("technique", "Service technique", "Technische dienst"),
    ("entretien", "Entretien et nettoyage", "Onderhoud en schoonmaak"),
    ("loyers-charges", "Loyers et charges", "Huur en lasten"),
    ("renovation", "Projets de rénovation", "Renovatieprojecten"),
]

PLACES = {
    "marolles": (
        "Salle communautaire des Marolles",
        "Rue Haute 132, 1000 Bruxelles",
        "Rez-de-chaussée, sans marche. Toilettes adaptées. Boucle magnétique sur demande.",
        1,  # Tuesday
    ),
    "peterbos": (
        "Antenne locataires Peterbos, bloc 9",
        "Parc du Peterbos 9, 1070 Anderlecht",
        "Entrée par la rampe côté parc. Ascenseur jusqu'au 1er étage.",
        3,  # Thursday
    ),
}

TOPICS = [
    (
        "Chauffage et eau chaude",
        "technique",
        "Coupures de cet hiver, planning des réparations.",
        "Le service technique explique les pannes de la chaudière collective. Plusieurs locataires signalent des radiateurs froids.",
        "Une société extérieure vérifie toutes les vannes.",
        "Purger les radiateurs des étages 6 à 10",
    ),
    (
        "Propreté des halls et des caves",
        "entretien",
        "Nouveau planning de nettoyage.",
        "Les locataires demandent plus de passages le week-end. Des dépôts clandestins dans les caves.",
        "Un passage supplémentaire le samedi est testé pendant trois mois.",
        "Vider les encombrants de la cave du bloc B",
    ),
    (
        "Décompte des charges",
        "loyers-charges",
        "Explication du décompte annuel.",
        "Le service explique le décompte et la hausse du prix de l'énergie.",
        "Une permanence individuelle est organisée pour les questions sur les décomptes.",
        "Organiser une permanence charges",
    ),
    (
        "Rénovation des façades",
        "renovation",
        "Calendrier du chantier et nuisances.",
        "Présentation du calendrier. Inquiétudes sur le bruit et l'accès aux balcons.",
        "Les locataires seront prévenus deux semaines avant les travaux de leur façade.",
        "Envoyer le calendrier détaillé bloc par bloc",
    ),
    (
        "Ascenseurs",
        "technique",
        "Pannes répétées.",
        "Trois pannes ce mois-ci. Les personnes âgées restent bloquées chez elles.",
        "Le contrat de maintenance sera renégocié ; un numéro d'urgence sera affiché.",
        "Afficher le numéro d'urgence des ascenseurs",
    ),
    (
        "Fête des voisins",
        None,
        "Organisation avec le projet de cohésion sociale.",
        "Beaucoup d'enthousiasme ; des volontaires pour la cuisine et la musique.",
        "La fête aura lieu le dernier samedi de mai.",
        "Réserver la salle et le matériel",
    ),
]


def _departments() -> dict[str, Department]:
    result = {}
    for slug, fr, nl in DEPARTMENTS:
        result[slug], _ = Department.objects.get_or_create(slug=slug, defaults={"name_fr": fr, "name_nl": nl})
    return result


def _dates(today: datetime.date, weekday: int) -> list[datetime.date]:
    # Nine months back and nine ahead: six meetings on each side of today even with August (no meeting) among them.
    first = today.month - 9
    year = today.year + (first - 1) // 12
    first = (first - 1) % 12 + 1
    dates = series_dates(year=year, first_month=first, months=19, weekday=weekday, week=2, skip_months={8})
    past = [d for d in dates if d < today][-6:]
    future = [d for d in dates if d >= today][:6]
    return past + future


def _load_neighbourhood(hood: Neighbourhood, departments: dict[str, Department], stdout) -> None:
    place_name, address, access, weekday = PLACES[hood.slug]
    today = timezone.localdate()
    now = timezone.now()
    dates = _dates(today, weekday)
    next_index = next(i for i, d in enumerate(dates) if d >= today)
    for index, day in enumerate(dates):
        past = day < today
        meeting = Meeting.objects.create(
            neighbourhood=hood,
            date=day,
            starts_at=datetime.time(18, 0),
            ends_at=datetime.time(20, 0),
            place_name=place_name,
            place_address=address,
            accessibility=access,
            proposal_deadline=day - datetime.timedelta(days=14),
            status=Meeting.Status.MINUTES_PUBLISHED if past else Meeting.Status.PLANNED,
        )
        if past:
            meeting.agenda_published_at = now
            meeting.invitation_sent_at = now
            meeting.held_recorded_at = now
            meeting.tenants_present = 14 + (index * 7) % 19
            meeting.minutes_status = Meeting.MinutesStatus.PUBLISHED
            meeting.minutes_introduction = "Réunion animée par les assistants sociaux collectifs. Tour de table des nouvelles du quartier."
            meeting.minutes_published_at = now
            meeting.save()
            for position, offset in enumerate((0, 1), start=1):
                title, dept, description, summary, decisions, action = TOPICS[(index + offset) % len(TOPICS)]
                item = AgendaItem.objects.create(
                    meeting=meeting,
                    position=position,
                    kind=AgendaItem.Kind.DEPARTMENT if dept else AgendaItem.Kind.WORKER,
                    status=AgendaItem.Status.ACCEPTED,
                    title=title,
                    description=description,
                    department=departments.get(dept) if dept else None,
                    estimated_minutes=20,
                    summary=summary,
                    decisions=decisions,
                )
                older = index < 3
                ActionPoint.objects.create(
                    meeting=meeting,
                    agenda_item=item,
                    neighbourhood=hood,
                    description=action,
                    department=departments.get(dept) if dept else None,
                    responsible="" if dept else "Assistants sociaux collectifs",
                    due_date=day + datetime.timedelta(days=45),
                    status=ActionPoint.Status.DONE
                    if older
                    else (ActionPoint.Status.IN_PROGRESS if offset else ActionPoint.Status.OPEN),
                    status_note="Fait."
                    if older
                    else ("Commande passée, en attente du fournisseur." if offset else ""),
                    status_updated_at=now if (older or offset) else None,
                    done_at=now if older else None,
                )
        elif index == next_index:
            for position, (title, dept, description, *_rest) in enumerate(TOPICS[2:4], start=1):
                AgendaItem.objects.create(
                    meeting=meeting,
                    position=position,
                    kind=AgendaItem.Kind.DEPARTMENT,
                    status=AgendaItem.Status.ACCEPTED
                    if hood.slug == "marolles"
                    else AgendaItem.Status.PROPOSED,
                    title=title,
                    description=description,
                    department=departments[dept],
                    presenter="Mme Claes" if position == 1 else "M. Benali",
                    estimated_minutes=20,
                )
            agenda_follow_ups_sync(neighbourhood=hood)
            if hood.slug == "marolles":
                meeting.status = Meeting.Status.AGENDA_PUBLISHED
                meeting.agenda_published_at = now
                meeting.save()
    TopicSuggestion.objects.create(
        neighbourhood=hood,
        title="Bancs et éclairage dans la cour",
        description="Le soir, la cour est très sombre et il n'y a nulle part où s'asseoir.",
        channel=TopicSuggestion.Channel.PAPER,
        contact_name="Mme Dupont",
    )
    stdout.write(f"Meetings: {len(dates)} meetings for {hood.slug}.")


def load(stdout) -> None:
    departments = _departments()
    for slug in PLACES:
        hood = Neighbourhood.objects.filter(slug=slug).first()
        if hood is None or hood.meetings.exists():
            continue
        _load_neighbourhood(hood, departments, stdout)
