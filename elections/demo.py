"""Demo election: the tenants' advisory council of the demo company, voting open (online and at two stations),
six accepted candidates and one refused, the roll generated from the demo register. Idempotent and deterministic
(dates are relative to today so that `make run` always shows an election in progress)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from portal.models import Person

from . import codes, services
from .models import Candidacy, Election, PollingStation

SLUG = "cocolo-2026"
STATEMENTS = [
    "Je veux que les pannes d'ascenseur soient réparées plus vite.",
    "Ik wil dat huurders beter geïnformeerd worden over de renovaties.",
    "Pour des halls propres et des activités pour les jeunes.",
    "",
    "Samen werken aan een nette en veilige wijk.",
    "",
]


def load(stdout) -> None:
    election = Election.objects.filter(slug=SLUG).first() or _create()
    _print_voting_code(election, stdout)


def _print_voting_code(election: Election, stdout) -> None:
    """A voting code for the demo, printed on every run: the first voter who has not voted yet (a code is single
    use: once its voter has voted, the next run prints another voter's)."""
    if election.status != Election.Status.VOTING:
        stdout.write(
            f"Elections: '{election.council_name}' is {election.get_status_display()}, no longer open for voting "
            "(make demo-reset gives a fresh one)."
        )
        return
    entry = (
        election.roll.filter(
            removed=False, participation__isnull=True, failed_attempts__lt=services.MAX_CODE_ATTEMPTS
        )
        .exclude(code_seed="")
        .select_related("person")
        .order_by("person__external_ref")
        .first()
    )
    if entry is None:
        stdout.write(
            "Elections: every voter of the demo election has voted (make demo-reset gives a fresh one)."
        )
        return
    stdout.write(
        f"Elections: '{election.council_name}' open for voting, {election.roll.count()} voters. "
        f"Try /fr/elections/{SLUG}/vote/ with code {codes.format_code(codes.code_from_seed(entry.code_seed))} "
        f"and date of birth {entry.person.birth_date:%d/%m/%Y} (single use)."
    )


def _create() -> Election:
    today = timezone.localdate()
    tz = timezone.get_current_timezone()

    def at(day: datetime.date, hour: int) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)

    election = services.election_create(
        actor=None,
        council_name="Conseil consultatif des locataires / Adviesraad van de huurders",
        slug=SLUG,
        seats=5,
        min_candidates=5,
        quorum_percent=5,
        roll_reference_date=today - datetime.timedelta(days=120),
        candidacies_open_on=today - datetime.timedelta(days=100),
        candidacies_close_on=today - datetime.timedelta(days=60),
        candidates_published_on=today - datetime.timedelta(days=45),
        voting_opens_at=at(today, 0),
        voting_closes_at=at(today + datetime.timedelta(days=14), 20),
        complaints_end_on=today + datetime.timedelta(days=30),
        online_voting=True,
        how_to_vote=(
            "Votez au bureau de vote avec votre lettre d'invitation, ou en ligne avec votre code personnel.\n"
            "Stem in het stembureau met uw uitnodigingsbrief, of online met uw persoonlijke code."
        ),
    )
    for name, address, days in [
        ("Salle communautaire des Marolles", "Rue Haute 120, 1000 Bruxelles", 0),
        ("Maison de quartier Peterbos", "Parc du Peterbos 9, 1070 Anderlecht", 7),
    ]:
        day = today + datetime.timedelta(days=days)
        PollingStation.objects.create(
            election=election,
            name=name,
            address=address,
            opens_at=at(day, 9),
            closes_at=at(day, 17),
            accessibility="Accessible en chaise roulante / rolstoeltoegankelijk",
        )
    services.election_advance(election=election, actor=None)
    candidates = []
    for person in (
        Person.objects.current(today).filter(role=Person.Role.LEASE_HOLDER).order_by("external_ref")
    ):
        if not services.candidacy_eligibility_problems(election=election, person=person):
            candidates.append(person)
        if len(candidates) == 7:
            break
    for index, person in enumerate(candidates):
        candidacy = services.candidacy_submit(
            election=election,
            person=person,
            channel=Candidacy.Channel.PAPER,
            received_on=today - datetime.timedelta(days=70 + index),
            label=[Candidacy.Label.STREET, Candidacy.Label.NEIGHBOURHOOD, Candidacy.Label.NOTHING][index % 3],
            statement=STATEMENTS[index % len(STATEMENTS)],
        )
        refuse = index == 6
        services.candidacy_decide(
            candidacy=candidacy,
            accept=not refuse,
            reason="Charte non signée / Charter niet ondertekend" if refuse else "",
            charter_signed=not refuse,
            court_check_done=True,
            actor=None,
        )
    services.roll_generate(election=election, actor=None)
    services.election_advance(election=election, actor=None)
    services.election_advance(election=election, actor=None)
    election.refresh_from_db()
    return election
