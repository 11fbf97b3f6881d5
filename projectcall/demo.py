"""Demo data: the 2026 call open now (a few drafts and submissions) and the 2025 call decided, 4 projects funded.

Idempotent (keyed by year, reference and username) and deterministic. Needs the register (portal.demo) and the home
pages (home.demo), which run before this module.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Locale

from home.models import HomePage
from portal import roles
from portal.models import Neighbourhood, Organisation, Person

from .models import ApplicantKind, Application, Call, Criterion, Decision, ProgressReport, ProjectCallPage

CRITERIA = [
    ("Vivre-ensemble / Samenleven", "Le projet rapproche les voisins. / Het project brengt buren samen.", 3),
    ("Participation des locataires / Inspraak van de huurders", "Les locataires portent le projet.", 3),
    ("Faisabilité et budget / Haalbaarheid en budget", "Le budget est réaliste, le calendrier tenable.", 2),
    ("Durabilité / Duurzaamheid", "Le projet continue après le financement.", 1),
]

FUNDED_2025 = [
    (
        "marolles",
        "Potager collectif des Marolles",
        "Un potager partagé dans la cour intérieure, avec des bacs "
        "accessibles aux personnes âgées et des ateliers pour les enfants le mercredi.",
        "48500",
        "running",
    ),
    (
        "peterbos",
        "Fresque murale du Peterbos",
        "Les jeunes du site peignent une grande fresque sur le pignon du bloc 9 avec un artiste du quartier.",
        "42000",
        "completed",
    ),
    (
        "cite-modele",
        "Repair café de la Cité Modèle",
        "Un samedi par mois, des voisins bénévoles réparent vélos, petits appareils et vêtements.",
        "35350",
        "running",
    ),
    (
        "helmet",
        "Ateliers devoirs à Helmet",
        "Soutien scolaire deux fois par semaine dans la salle commune, avec une association partenaire.",
        "50000",
        "not_started",
    ),
]
REJECTED_2025 = [
    ("quartier-nord", "Voyage à la mer", "Une excursion d'un jour pour les familles du quartier.", "52000"),
    ("marolles", "Nouveaux bancs rue Haute", "Remplacer les bancs de la cour.", "18000"),
]
APPLICATIONS_2026 = [
    (
        "peterbos",
        "Salle de sport pour les jeunes",
        "Aménager une salle de sport dans une cave inutilisée.",
        "submitted",
        [("Matériel de sport", "18500"), ("Travaux de peinture", "6200"), ("Assurance", "900")],
    ),
    (
        "helmet",
        "Fête des voisins de Helmet",
        "Une grande fête en juin, avec repas partagé et musique.",
        "submitted",
        [("Location de tentes", "1500"), ("Repas", "2300"), ("Animation enfants", "800")],
    ),
    (
        "marolles",
        "Bibliothèque de rue",
        "Des boîtes à livres dans trois halls d'entrée.",
        "draft",
        [("Boîtes à livres", "1200")],
    ),
]

PAGES = {
    "fr": (
        "Appel à projets collectifs 2026",
        "appel-a-projets",
        "Vous avez une idée pour améliorer la vie dans votre immeuble ou votre quartier ? Les assistants sociaux "
        "collectifs soutiennent les projets des locataires, des comités et des associations.",
        "<p>Le projet se déroule près de nos sites et profite aux locataires. Le montant demandé ne dépasse pas "
        "50 000 EUR. Les assistants sociaux collectifs peuvent vous aider à écrire votre demande.</p>",
        [
            (
                "Qui peut introduire un projet ?",
                "<p>Un locataire, un groupe de locataires, un comité de locataires, "
                "une association ou un projet de cohésion sociale.</p>",
            ),
            (
                "Je n'ai pas d'e-mail, comment faire ?",
                "<p>Venez au bureau des assistants sociaux collectifs : ils "
                "remplissent la demande avec vous et vous recevez les réponses par courrier.</p>",
            ),
        ],
    ),
    "nl": (
        "Projectoproep voor collectieve projecten 2026",
        "projectoproep",
        "Hebt u een idee om het leven in uw gebouw of wijk te verbeteren? De collectieve maatschappelijk "
        "assistenten steunen projecten van huurders, comités en verenigingen.",
        "<p>Het project vindt plaats bij onze sites en komt de huurders ten goede. Het gevraagde bedrag is "
        "maximaal 50 000 EUR. De collectieve maatschappelijk assistenten helpen u graag.</p>",
        [
            (
                "Wie kan een project indienen?",
                "<p>Een huurder, een groep huurders, een huurderscomité, een "
                "vereniging of een project voor sociale cohesie.</p>",
            ),
            (
                "Ik heb geen e-mail, wat nu?",
                "<p>Kom naar het kantoor van de collectieve maatschappelijk "
                "assistenten: zij vullen de aanvraag samen met u in en u krijgt de antwoorden per brief.</p>",
            ),
        ],
    ),
    "en": (
        "Call for collective projects 2026",
        "call-for-projects",
        "Do you have an idea to improve life in your building or neighbourhood? The collective social workers "
        "support projects of tenants, committees and associations.",
        "<p>The project takes place near our sites and benefits the tenants. The amount asked is at most "
        "50,000 EUR. The collective social workers can help you write your application.</p>",
        [
            (
                "Who can apply?",
                "<p>A tenant, a group of tenants, a tenant committee, an association or a social "
                "cohesion project.</p>",
            ),
            (
                "I have no e-mail, what can I do?",
                "<p>Come to the collective social workers' office: they fill in "
                "the application with you and you receive the answers by letter.</p>",
            ),
        ],
    ),
}


def _aware(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def _call(year: int, opens, closes, decision_on, ends, report_due, decided_at=None) -> Call:
    call, _created = Call.objects.update_or_create(
        year=year,
        defaults={
            "title": f"Appel à projets collectifs {year} / Projectoproep {year}",
            "envelope": Decimal("255000"),
            "max_per_project": Decimal("50000"),
            "eligible_kinds": [],
            "opens_at": opens,
            "closes_at": closes,
            "decision_on": decision_on,
            "projects_end_on": ends,
            "final_report_due_on": report_due,
            "decided_at": decided_at,
        },
    )
    if not call.criteria.exists():
        for position, (name, description, weight) in enumerate(CRITERIA):
            Criterion.objects.create(
                call=call, name=name, description=description, weight=weight, sort_order=position
            )
    return call


def _account(username: str, *, group: str | None = None, person: Person | None = None, first: str = ""):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org", "first_name": first}
    )
    if created:
        user.set_unusable_password()
        user.save()
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    if person is not None and person.user_id is None and not hasattr(user, "person"):
        person.user = user
        person.save(update_fields=["user"])
    return user


def _application(
    call,
    owner,
    ref,
    hood_slug,
    title,
    summary,
    status,
    lines,
    kind=ApplicantKind.TENANT_GROUP,
    organisation=None,
) -> Application:
    hood = Neighbourhood.objects.get(slug=hood_slug)
    app, created = Application.objects.get_or_create(
        call=call,
        reference=ref,
        defaults={
            "owner": owner,
            "status": status,
            "applicant_kind": kind,
            "organisation": organisation,
            "group_name": "" if organisation else f"Locataires de {hood.name_fr}",
            "title": title,
            "summary": summary,
            "neighbourhood": hood,
            "site": hood.sites.first(),
            "beneficiaries": "Les locataires du site, petits et grands.",
            "beneficiaries_count": 120,
            "activities": summary,
            "timeline": "Printemps : préparation. Été : réalisation. Automne : bilan.",
            "partners": "Maison de quartier",
            "contact_name": owner.first_name or owner.username,
            "contact_email": owner.email,
            "submitted_at": None
            if status == Application.Status.DRAFT
            else call.opens_at + datetime.timedelta(days=20),
        },
    )
    if created:
        for position, (item, amount) in enumerate(lines):
            app.budget_lines.create(item=item, amount=Decimal(amount), position=position)
    return app


def _pages(call: Call) -> None:
    homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
    if "fr" not in homes:
        return
    fr_page = ProjectCallPage.objects.filter(locale__language_code="fr", call=call).first()
    for code, (title, slug, intro, rules, faq) in PAGES.items():
        if (
            code not in homes
            or ProjectCallPage.objects.filter(locale__language_code=code, call=call).exists()
        ):
            continue
        values = {
            "title": title,
            "slug": slug,
            "intro": intro,
            "rules": rules,
            "faq": [("question", {"question": q, "answer": a}) for q, a in faq],
            "call": call,
        }
        if code == "fr" or fr_page is None:
            page = ProjectCallPage(locale=Locale.objects.get(language_code=code), **values)
            homes[code].add_child(instance=page)
            page.save_revision().publish()
            fr_page = fr_page or page
        else:
            page = fr_page.copy_for_translation(Locale.objects.get(language_code=code), copy_parents=False)
            for name, value in values.items():
                setattr(page, name, value)
            page.save_revision().publish()


def load(stdout) -> None:
    call_2025 = _call(
        2025,
        _aware(2025, 9, 15),
        _aware(2026, 1, 31, 23, 59),
        datetime.date(2026, 3, 15),
        datetime.date(2026, 12, 31),
        datetime.date(2027, 1, 31),
        decided_at=_aware(2026, 3, 15, 14),
    )
    call_2026 = _call(
        2026,
        _aware(2026, 9, 15),
        _aware(2027, 1, 31, 23, 59),
        datetime.date(2027, 3, 15),
        datetime.date(2027, 12, 31),
        datetime.date(2028, 1, 31),
    )
    persons = list(
        Person.objects.current().filter(role=Person.Role.LEASE_HOLDER).order_by("external_ref")[:6]
    )
    applicants = [
        _account(f"demo-applicant-{i + 1}", person=person, first=person.first_name)
        for i, person in enumerate(persons)
    ]
    if len(applicants) < 6:
        stdout.write("Project call: register missing, demo applications skipped.")
        return
    _account("demo-worker", group=roles.COLLECTIVE_WORKERS, first="Sophie")
    _account("demo-jury-1", group=roles.REVIEWERS, first="Marc")
    _account("demo-jury-2", group=roles.REVIEWERS, first="Hilde")
    asbl, _created = Organisation.objects.get_or_create(
        name="Maison de quartier Helmet asbl",
        defaults={"kind": Organisation.Kind.ASSOCIATION, "email": "info@mq-helmet.example.org"},
    )
    worker = get_user_model().objects.get(username="demo-worker")
    for index, (hood, title, summary, amount, project_status) in enumerate(FUNDED_2025):
        app = _application(
            call_2025,
            applicants[index],
            f"PC-2025-{index + 1:03d}",
            hood,
            title,
            summary,
            Application.Status.FUNDED,
            [("Budget du projet", amount)],
            kind=ApplicantKind.ASSOCIATION if hood == "helmet" else ApplicantKind.TENANT_GROUP,
            organisation=asbl if hood == "helmet" else None,
        )
        Application.objects.filter(pk=app.pk).update(project_status=project_status)
        Decision.objects.get_or_create(
            application=app,
            defaults={
                "funded": True,
                "amount": Decimal(amount),
                "decided_by": worker,
                "decided_at": call_2025.decided_at,
                "motivation": "Projet porté par les locataires, budget réaliste.",
            },
        )
        if project_status == "completed" and not app.reports.exists():
            ProgressReport.objects.create(
                application=app,
                kind=ProgressReport.Kind.FINAL,
                submitted_by=app.owner,
                text="La fresque est terminée, inaugurée avec 150 voisins.",
                amount_spent=Decimal(amount),
                status=ProgressReport.Status.ACCEPTED,
                reviewed_by=worker,
            )
    for index, (hood, title, summary, amount) in enumerate(REJECTED_2025):
        app = _application(
            call_2025,
            applicants[4 + index],
            f"PC-2025-{index + 5:03d}",
            hood,
            title,
            summary,
            Application.Status.REJECTED,
            [("Budget du projet", amount)],
        )
        Decision.objects.get_or_create(
            application=app,
            defaults={
                "funded": False,
                "amount": Decimal(0),
                "decided_by": worker,
                "decided_at": call_2025.decided_at,
                "motivation": "Le projet profite peu au vivre-ensemble sur le site.",
            },
        )
    for index, (hood, title, summary, status, lines) in enumerate(APPLICATIONS_2026):
        ref = f"PC-2026-{index + 1:03d}" if status == "submitted" else ""
        if not ref and Application.objects.filter(call=call_2026, title=title).exists():
            continue
        _application(call_2026, applicants[index], ref, hood, title, summary, status, lines)
    _pages(call_2026)
    stdout.write(
        f"Project call: {Call.objects.count()} calls, {Application.objects.count()} applications "
        f"({Application.objects.funded().count()} funded)."
    )
