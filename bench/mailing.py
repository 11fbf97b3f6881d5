"""Minutes distribution to a 5,000-household neighbourhood, end to end (issue #7, section "mailing").

Dataset (`build_neighbourhood`, registered in `bench.data.BUILDERS`, seeded, built once): one neighbourhood
`bench-mailing` of 5 sites, 200 buildings and 5,000 dwellings, one current household each (languages fr, fr, nl,
unknown as in `bench.data`), 1 to 4 persons per household, the lease holder with an e-mail address in ~40 % of
the households (so each household gets exactly one delivery: one e-mail, or one letter to the occupants).

Each run resets (deletes the previous run's meeting and its notification batches), creates a held meeting with
approved minutes, then measures:

1. the staff request that publishes the minutes (POST to `meetings:staff_minutes`, action "publish", through the
   whole web stack with `django.test.Client` logged in as a collective worker): wall and CPU time, SQL queries,
   and a check that it only queued work (no delivery, no mail, one queued task);
2. the real worker, `manage.py db_worker --batch` in a subprocess (`python -m bench.mailing worker`, which only
   switches the e-mail backend to SMTP), sending to an aiosmtpd sink on 127.0.0.1 run in this process: mails per
   second, queue wait (queueing to first mail received), each task's time from the task table;
3. the letters PDF of the households without e-mail, rendered by the same worker: seconds (HTML templates vs
   WeasyPrint, as returned by the task), pages, MB.

Then it checks that every household has exactly one delivery, that the sink received as many messages as e-mail
deliveries marked sent, and that nothing failed.
"""

from __future__ import annotations

import datetime
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

SLUG = "bench-mailing"
HOUSEHOLDS = 5_000
SITES = 5
PER_BUILDING = 25
EMAIL_SHARE = 0.4
WORKER_TIMEOUT = 1500  # seconds: a bounded run (about 2 minutes on an idle 2-core machine)
ROOT = Path(__file__).resolve().parent.parent
WORKER_USERNAME = "bench-mailing-worker"

# (title, what was said, decisions, action point) of the bench meeting's minutes: a typical two-page letter.
TOPICS = [
    (
        "Chauffage et eau chaude",
        "Le service technique explique les pannes de la chaudière collective. Plusieurs locataires signalent des "
        "radiateurs froids aux étages supérieurs et des coupures d'eau chaude le matin.",
        "Une société extérieure vérifie toutes les vannes avant la fin du mois.",
        "Purger les radiateurs des étages 6 à 10",
    ),
    (
        "Propreté des halls et des caves",
        "Les locataires demandent plus de passages le week-end. Des dépôts clandestins dans les caves.",
        "Un passage supplémentaire le samedi est testé pendant trois mois.",
        "Vider les encombrants de la cave du bloc B",
    ),
    (
        "Ascenseurs",
        "Trois pannes ce mois-ci. Les personnes âgées restent bloquées chez elles.",
        "Le contrat de maintenance sera renégocié ; un numéro d'urgence sera affiché.",
        "Afficher le numéro d'urgence des ascenseurs",
    ),
]


# --- Dataset ---------------------------------------------------------------------------------------------------


def build_neighbourhood(rng: random.Random) -> None:
    """The 5,000-household neighbourhood (idempotent; its own seed, so it does not depend on the builders' order)."""
    from django.db import transaction

    from bench.data import FIRST, LAST
    from portal.models import Building, Dwelling, Household, Neighbourhood, Person, Site

    if Household.objects.filter(external_ref__startswith="BMH-").count() >= HOUSEHOLDS:
        return
    print(f"Building the mailing neighbourhood: {HOUSEHOLDS:,} households ...", flush=True)
    rng = random.Random(5000)  # noqa: S311 - reproducible data
    with transaction.atomic():
        hood, _ = Neighbourhood.objects.get_or_create(
            slug=SLUG, defaults={"name_fr": "Quartier du Courrier", "name_nl": "Postwijk"}
        )
        sites = [
            Site.objects.get_or_create(
                external_ref=f"BMS-{j}", defaults={"neighbourhood": hood, "name": f"Site courrier {j}"}
            )[0]
            for j in range(SITES)
        ]
        buildings = Building.objects.bulk_create(
            [
                Building(
                    site=sites[index % SITES],
                    external_ref=f"BMB-{index}",
                    street=f"Avenue du Courrier {index // 10}",
                    number=str(index % 10 + 1),
                    postcode="1070",
                    municipality="Anderlecht",
                )
                for index in range(HOUSEHOLDS // PER_BUILDING)
            ]
        )
        dwellings = Dwelling.objects.bulk_create(
            [
                Dwelling(
                    building=buildings[i // PER_BUILDING], external_ref=f"BMD-{i}", unit=str(i % PER_BUILDING)
                )
                for i in range(HOUSEHOLDS)
            ],
            batch_size=5000,
        )
        households = Household.objects.bulk_create(
            [
                Household(
                    dwelling=d,
                    external_ref=f"BMH-{i}",
                    start_date=datetime.date(2000 + rng.randrange(24), 1, 1),
                    language=rng.choice(["fr", "fr", "nl", ""]),
                )
                for i, d in enumerate(dwellings)
            ],
            batch_size=5000,
        )
        persons = []
        for i, household in enumerate(households):
            for k in range(1 + rng.randrange(4)):
                holder = k == 0
                born = 1940 + rng.randrange(50) if holder else 1960 + rng.randrange(60)
                persons.append(
                    Person(
                        household=household,
                        external_ref=f"BMP-{i}-{k}",
                        first_name=rng.choice(FIRST),
                        last_name=rng.choice(LAST),
                        birth_date=datetime.date(born, 1 + rng.randrange(12), 1 + rng.randrange(28)),
                        role=Person.Role.LEASE_HOLDER if holder else Person.Role.MEMBER,
                        registered_on=household.start_date,
                        start_date=household.start_date,
                        language=household.language,
                        email=f"m{i}@example.org" if holder and rng.random() < EMAIL_SHARE else "",
                    )
                )
        Person.objects.bulk_create(persons, batch_size=5000)


def _worker_user():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from portal import roles

    user, _ = get_user_model().objects.get_or_create(
        username=WORKER_USERNAME, defaults={"email": "bench-mailing-worker@example.org"}
    )
    user.groups.add(Group.objects.get_or_create(name=roles.COLLECTIVE_WORKERS)[0])
    return user


def _reset_and_create_meeting(worker: Any):
    """Delete the previous runs' meetings (and their batches), then a held meeting with approved minutes."""
    from django.utils import timezone

    from meetings.models import ActionPoint, AgendaItem, Meeting
    from portal.models import Neighbourhood
    from portal.notifications.models import NotificationBatch

    hood = Neighbourhood.objects.get(slug=SLUG)
    for old in Meeting.objects.filter(neighbourhood=hood):
        NotificationBatch.objects.for_object(old).delete()
        old.delete()
    now = timezone.now()
    day = timezone.localdate() - datetime.timedelta(
        days=730
    )  # old: never the "latest minutes" of other sections
    meeting = Meeting.objects.create(
        neighbourhood=hood,
        date=day,
        starts_at=datetime.time(18, 0),
        ends_at=datetime.time(20, 0),
        place_name="Salle du Courrier",
        place_address="Avenue du Courrier 1, 1070 Anderlecht",
        proposal_deadline=day - datetime.timedelta(days=14),
        status=Meeting.Status.HELD,
        agenda_published_at=now,
        invitation_sent_at=now,
        held_recorded_at=now,
        tenants_present=23,
        minutes_status=Meeting.MinutesStatus.APPROVED,
        minutes_introduction="Réunion animée par les assistants sociaux collectifs. Tour de table des nouvelles.",
        minutes_submitted_at=now,
        minutes_approved_at=now,
    )
    for position, (title, summary, decisions, action) in enumerate(TOPICS, start=1):
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            kind=AgendaItem.Kind.WORKER,
            status=AgendaItem.Status.ACCEPTED,
            title=title,
            estimated_minutes=20,
            summary=summary,
            decisions=decisions,
        )
        ActionPoint.objects.create(
            meeting=meeting,
            agenda_item=item,
            neighbourhood=hood,
            description=action,
            responsible="Assistants sociaux collectifs",
            due_date=day + datetime.timedelta(days=45),
        )
    return meeting


# --- SMTP sink -------------------------------------------------------------------------------------------------


class _Sink:
    """aiosmtpd handler: counts the messages and keeps the time each one arrived."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.times.append(time.time())
            self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The measured run ------------------------------------------------------------------------------------------


def _publish_request(meeting: Any, worker: Any) -> dict[str, Any]:
    from django.core import mail
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation
    from django_tasks_db.models import DBTaskResult

    from portal.notifications.models import Delivery, NotificationBatch

    client = Client()
    client.force_login(worker)
    with translation.override("fr"):
        url = reverse("meetings:staff_minutes", args=[meeting.pk])
    client.get(url)  # the review page the worker reads before publishing (warms connections and templates)
    mail.outbox = []
    tasks_before = set(DBTaskResult.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        cpu, wall = time.process_time(), time.perf_counter()
        response = client.post(url, {"action": "publish", "note": ""})
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    queued_at = time.time()
    batch = NotificationBatch.objects.for_object(meeting).get()
    return {
        "url": url,
        "status": response.status_code,
        "wall": wall,
        "cpu": cpu,
        "queries": len(queries.captured_queries),
        "queued_at": queued_at,
        "batch": batch,
        "deliveries_after_request": Delivery.objects.filter(batch=batch).count(),
        "mails_in_request": len(getattr(mail, "outbox", [])),
        "tasks_queued": sorted(
            path.rsplit(".", 1)[-1]
            for path in DBTaskResult.objects.exclude(pk__in=tasks_before).values_list("task_path", flat=True)
        ),
    }


def _run_worker(port: int, media: str) -> tuple[float, int, str]:
    env = {
        **os.environ,
        "PORTAL_PRIVATE_MEDIA_ROOT": media,
        "BENCH_SMTP_PORT": str(port),
        "PYTHONPATH": str(ROOT),
    }
    start = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as log:
        try:
            process = subprocess.run(  # noqa: S603 - fixed arguments
                [sys.executable, "-m", "bench.mailing", "worker"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=WORKER_TIMEOUT,
                check=False,
            )
            code = process.returncode
        except subprocess.TimeoutExpired:
            code = -1
        log.seek(0)
        output = log.read()[-2000:]
    return time.perf_counter() - start, code, output


def _pdf_pages(path: str) -> int:
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _task_rows(since: datetime.datetime) -> list[dict[str, Any]]:
    from django_tasks_db.models import DBTaskResult

    rows = []
    for result in DBTaskResult.objects.filter(enqueued_at__gte=since).order_by("enqueued_at", "pk"):
        seconds = (
            (result.finished_at - result.started_at).total_seconds()
            if result.started_at and result.finished_at
            else None
        )
        rows.append(
            {
                "task": result.task_path.rsplit(".", 1)[-1],
                "status": result.status,
                "seconds": seconds,
                "started_at": result.started_at,
                "return": result.return_value,
            }
        )
    return rows


def _drain_queue() -> int:
    """Run what the dataset build left queued (wagtail indexing, the demo's notifications), unmeasured."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().count()
    if waiting:
        print(f"Running {waiting} tasks left queued by the dataset build (not measured) ...", flush=True)
        call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
    return waiting


def measure() -> dict[str, Any]:
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.db.models import Count
    from django.utils import timezone

    from portal.models import Household
    from portal.notifications.models import Channel, Delivery, DeliveryStatus

    media = tempfile.mkdtemp(prefix="bench-mailing-")
    settings.PRIVATE_MEDIA_ROOT = Path(media)  # read back the worker's PDF from the same place
    drained = _drain_queue()
    worker_user = _worker_user()
    meeting = _reset_and_create_meeting(worker_user)
    since = timezone.now()
    sink = _Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        request = _publish_request(meeting, worker_user)
        worker_start = time.time()
        worker_wall, worker_code, worker_log = _run_worker(port, media)
    finally:
        controller.stop()
    batch = request["batch"]
    batch.refresh_from_db()
    tasks = _task_rows(since)
    households = Household.objects.current().filter(dwelling__building__site__neighbourhood__slug=SLUG)
    per_household = (
        Delivery.objects.filter(batch=batch)
        .values("household_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    counts = batch.delivery_counts()
    result = {
        "drained": drained,
        "request": request,
        "worker_wall": worker_wall,
        "worker_code": worker_code,
        "worker_log": worker_log,
        "worker_start": worker_start,
        "tasks": tasks,
        "sink_messages": len(sink.times),
        "sink_first": min(sink.times) if sink.times else None,
        "sink_last": max(sink.times) if sink.times else None,
        "counts": counts,
        "households": households.count(),
        "households_delivered": len(per_household),
        "households_one_delivery": sum(1 for n in per_household if n == 1),
        "deliveries_without_household": Delivery.objects.filter(batch=batch, household__isnull=True).count(),
        "emails_sent": counts.get(Channel.EMAIL, {}).get(DeliveryStatus.SENT, 0),
        "letters_ready": counts.get(Channel.LETTER, {}).get(DeliveryStatus.READY, 0),
        "failed": sum(c.get(DeliveryStatus.FAILED, 0) for c in counts.values()),
        "queued": sum(c.get(DeliveryStatus.QUEUED, 0) for c in counts.values()),
        "batch_status": batch.status,
        "batch_error": batch.error,
        "sink_distinct": len(set(sink.recipients)),
        "emailed_distinct": Delivery.objects.filter(
            batch=batch, channel=Channel.EMAIL, status=DeliveryStatus.SENT
        )
        .values("email")
        .distinct()
        .count(),
    }
    if batch.letters_pdf:
        path = os.path.join(media, batch.letters_pdf.name)
        result["pdf_pages"] = _pdf_pages(path)
        result["pdf_mb"] = os.path.getsize(path) / 1e6
    if batch.notices_pdf:
        result["notices_pages"] = _pdf_pages(os.path.join(media, batch.notices_pdf.name))
    shutil.rmtree(media, ignore_errors=True)
    return result


def _check(label: str, ok: bool, detail: str) -> str:
    return f"| {label} | {'ok' if ok else '**FAILED**'} | {detail} |"


def format_report(r: dict[str, Any]) -> str:
    req = r["request"]
    tasks = r["tasks"]
    letters_task = next((t for t in tasks if t["task"] == "notification_render_letters"), None)
    mail_tasks = [t for t in tasks if t["task"] == "notification_send_emails" and t["seconds"] is not None]
    prepare = next((t for t in tasks if t["task"] == "notification_prepare"), None)
    first_mail_wait = r["sink_first"] - req["queued_at"] if r["sink_first"] else None
    mails_per_s = r["sink_messages"] / r["worker_wall"] if r["worker_wall"] else 0
    mail_seconds = sum(t["seconds"] for t in mail_tasks)
    letters = r["counts"].get("letter", {})
    letter_count = sum(letters.values())
    lines = [
        f"Neighbourhood `{SLUG}`: {r['households']:,} current households; "
        f"{sum(r['counts'].get('email', {}).values()):,} e-mails and {letter_count:,} letters "
        "(letters = the households without e-mail only).",
        "",
        "| step | figure |",
        "|---|---|",
        f"| publish request (POST `{req['url']}`) | HTTP {req['status']}, {req['wall'] * 1000:.0f} ms wall, "
        f"{req['cpu'] * 1000:.0f} ms CPU, {req['queries']} SQL queries |",
        f"| work done by the request | tasks queued: {', '.join(req['tasks_queued'])}; "
        f"{req['deliveries_after_request']} deliveries, {req['mails_in_request']} mails sent inline |",
        f"| worker (`db_worker --batch`, subprocess) | {r['worker_wall']:.1f} s wall, exit {r['worker_code']}, "
        f"{len(tasks)} tasks |",
        f"| prepare (audience to deliveries) | {prepare['seconds']:.1f} s |"
        if prepare and prepare["seconds"] is not None
        else "| prepare | not run |",
        f"| e-mails | {r['sink_messages']:,} received by the SMTP sink; {mails_per_s:.0f} mails/s over the worker's "
        f"wall time; {r['sink_messages'] / mail_seconds if mail_seconds else 0:.0f} mails/s within the "
        f"{len(mail_tasks)} sending tasks ({mail_seconds:.1f} s) |",
        f"| queue wait (queued to first mail at the sink) | {first_mail_wait:.1f} s (includes worker start-up) |"
        if first_mail_wait is not None
        else "| queue wait | no mail received |",
    ]
    if letters_task and letters_task["seconds"] is not None:
        ret = letters_task["return"] or {}
        split = ""
        if "html_seconds" in ret:
            split = (
                f" (HTML templates {ret['html_seconds']:.1f} s, WeasyPrint + join {ret['pdf_seconds']:.1f} s)"
            )
        lines.append(
            f"| letters PDF ({letter_count:,} households) | {letters_task['seconds']:.1f} s in the worker{split}, "
            f"{r.get('pdf_pages', 0):,} pages, {r.get('pdf_mb', 0):.1f} MB; hall notices: "
            f"{r.get('notices_pages', 0)} pages |"
        )
    lines += [
        "",
        "| check | result | detail |",
        "|---|---|---|",
        _check(
            "every household has exactly one delivery",
            r["households_one_delivery"] == r["households"] == r["households_delivered"]
            and not r["deliveries_without_household"],
            f"{r['households_one_delivery']:,} of {r['households']:,} with one, "
            f"{r['households_delivered'] - r['households_one_delivery']} with more, "
            f"{r['households'] - r['households_delivered']} with none",
        ),
        _check(
            "sink received one message per e-mail marked sent",
            r["sink_messages"] == r["emails_sent"] and r["sink_distinct"] == r["emailed_distinct"],
            f"{r['sink_messages']:,} received, {r['emails_sent']:,} sent",
        ),
        _check(
            "zero failures, nothing left queued",
            not r["failed"] and not r["queued"] and not r["batch_error"] and r["worker_code"] == 0,
            f"{r['failed']} failed, {r['queued']} queued, batch {r['batch_status']}"
            + (f", error: {r['batch_error'][:200]}" if r["batch_error"] else ""),
        ),
        _check(
            "every letter is in the PDF",
            r["letters_ready"] == letter_count and bool(r.get("pdf_pages")),
            f"{r['letters_ready']:,} letters ready to print",
        ),
        _check(
            "every task succeeded", all(t["status"] == "SUCCESSFUL" for t in tasks), f"{len(tasks)} tasks"
        ),
    ]
    if r["worker_code"] != 0:
        lines += ["", "Worker output (end):", "```", r["worker_log"], "```"]
    return "\n".join(lines) + "\n"


def run(rounds: int) -> str:
    """One distribution per run (5,000 households); `rounds` is ignored: one round takes a minute or more."""
    return format_report(measure())


# --- Worker entry point ----------------------------------------------------------------------------------------


def _worker_main() -> None:
    """`manage.py db_worker --batch` with Django's SMTP backend pointed at the bench's sink (BENCH_SMTP_PORT)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = int(os.environ["BENCH_SMTP_PORT"])
    settings.EMAIL_USE_TLS = False
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=1)


if __name__ == "__main__" and sys.argv[1:] == ["worker"]:
    _worker_main()
