"""Demo election: the tenants' advisory council of the demo company, voting open (online and at two stations),
six accepted candidates and one refused, the roll generated from the demo register, the online ballot box's key
shared among three demo key holders. Idempotent (dates are relative to today so that `make run` always shows an
election in progress); every run prints a voting code and the key holders' shares.

Demo only: the shares are kept in a file of the private media folder so that a newcomer can open the box after
trying the close (`manage.py demo_election --close`). In a real election they exist only on the holders' sheets.
`manage.py demo_election --ceremony` rebuilds the demo election just before its key ceremony, to hold it on screen.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.models import Person

from . import codes, guards, services
from .models import BallotBox, Candidacy, Election, ElectionEvent, PollingStation
from .services._common import log

SLUG = "cocolo-2026"
KEY_HOLDERS = [
    "Anne Janssens (comité électoral / kiescomité)",
    "Karim Benali (locataire / huurder)",
    "Sofie Peeters (fédération des locataires / huurdersfederatie)",
]
STATEMENTS = [
    "Je veux que les pannes d'ascenseur soient réparées plus vite.",
    "Ik wil dat huurders beter geïnformeerd worden over de renovaties.",
    "Pour des halls propres et des activités pour les jeunes.",
    "",
    "Samen werken aan een nette en veilige wijk.",
    "",
]


def build(*, open_vote: bool = True) -> Election:
    """The demo election up to its published candidate list; with `open_vote`, the key ceremony held by the demo
    key holders (their shares written to `shares_file()`) and voting opened."""
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
        if not guards.candidacy_eligibility_problems(election=election, person=person):
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
    if open_vote:
        shares = [
            s.text for s in services.ballot_box_create(election=election, holders=KEY_HOLDERS, actor=None)
        ]
        for share in shares:
            services.key_share_check(election=election, share=share, actor=None)
        _write_shares(election, shares)
        services.election_advance(election=election, actor=None)
    return election


def shares_file() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "demo-election-key-shares.txt"


def _write_shares(election: Election, shares: list[str]) -> None:
    path = shares_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([election.ballot_box.fingerprint, *shares]) + "\n")
    path.chmod(0o600)


def demo_shares(election: Election) -> list[str]:
    """The demo key holders' shares, if the file is there and belongs to this election's box."""
    box = BallotBox.objects.filter(election=election).first()
    path = shares_file()
    if box is None or not path.exists():
        return []
    fingerprint, *shares = path.read_text().split()
    return shares if fingerprint == box.fingerprint else []


def load(stdout) -> None:
    election = Election.objects.filter(slug=SLUG).first()
    if election is None:
        election = build()
    else:
        stdout.write("Elections: demo election already present.")
    stdout.write(instructions(election))


def instructions(election: Election) -> str:
    """What a newcomer needs to vote online, and later to open the box with the key holders' shares."""
    lines = [
        f"Elections: '{election.council_name}' ({election.get_status_display()}), {election.roll.count()} voters."
    ]
    if election.status == Election.Status.VOTING:
        # A code is single use: once its voter has voted, the next run prints another voter's.
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
            lines.append("  Every voter of the demo election has voted (make demo-reset gives a fresh one).")
        else:
            lines.append(
                f"  Vote online at /fr/elections/{SLUG}/vote/ with code "
                f"{codes.format_code(codes.code_from_seed(entry.code_seed))} "
                f"and date of birth {entry.person.birth_date:%d/%m/%Y} (single use)."
            )
    box = BallotBox.objects.filter(election=election).first()
    if election.status == Election.Status.CANDIDATES_PUBLISHED:
        lines.append(
            f"  Waiting for its key ceremony: as a committee member or the administrator, open /fr/elections/{SLUG}/manage/"
            " > Key ceremony, type the three holders' names, show and check each share, then move to: voting open."
        )
    shares = demo_shares(election)
    if box is not None and box.opened_at is None and shares:
        lines.append(
            f"  Online ballot box, key {box.fingerprint}: any {box.threshold} of these key holders' shares open it after "
            "the close (demo only: in a real election they exist only on the holders' sheets):"
        )
        lines += [
            f"    {holder.name}: {share}" for holder, share in zip(box.holders.all(), shares, strict=False)
        ]
        lines.append(
            "  To try the count: `manage.py demo_election --close` closes the vote now; then on the election desk "
            "open the online ballot box with two shares, enter the paper counts and publish the results."
        )
    return "\n".join(lines)


@transaction.atomic
def close_now(*, now: datetime.datetime | None = None) -> Election:
    """Demo only: bring the demo election's closing time forward to now and close the vote, so that the count can
    be tried today. Refused for any election that is not the demo's (its key shares file must match its box)."""
    now = now or timezone.now()
    election = Election.objects.select_for_update().filter(slug=SLUG).first()
    if election is None or not demo_shares(election):
        raise ValidationError(
            "Only the demo election loaded by load_demo (with its shares file) can be closed early."
        )
    if election.status != Election.Status.VOTING:
        raise ValidationError(f"The demo election is not open for voting ({election.get_status_display()}).")
    previous = election.voting_closes_at
    election.voting_closes_at = now
    election.save(update_fields=["voting_closes_at"])
    log(
        election,
        ElectionEvent.Kind.RULES_CORRECTED,
        None,
        "Demo: closing time brought forward to now, to try the count.",
        {"changes": {"voting_closes_at": [previous.isoformat(), now.isoformat()]}, "reason": "demo"},
    )
    return services.election_advance(election=election, actor=None, now=now)


@transaction.atomic
def rebuild_for_ceremony() -> Election:
    """Demo only: the demo election rebuilt up to its published candidate list, its key ceremony to be held."""
    Election.objects.filter(slug=SLUG).delete()
    shares_file().unlink(missing_ok=True)
    return build(open_vote=False)
