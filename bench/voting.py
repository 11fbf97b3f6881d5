"""Online voting through gunicorn: ballots per second with 32 voters at once, then a count of every ballot in the DB.

A fresh election is built for each run (`build_election`: the services, as an election committee would: create,
open candidacies, paper candidacies accepted, roll generated from the whole register, list published, voting
opened), so that nobody has voted yet; it is deleted at the end of the run (and any leftover of an interrupted run
at the start), so the other sections keep measuring the demo election.

Each voter runs the real journey of a tenant holding an invitation letter, over HTTP, from a loopback address of
their own (127.x.y.z: the per-IP rate limit of the identification form stays on and counts each voter apart):

1. GET the identification form; GET the captcha image (as a browser does); the captcha's answer is read from the
   database (what the human reads in the image);
2. POST code + date of birth + captcha; the session now holds the roll entry;
3. GET the ballot; POST the choices (review page); POST the confirmation (cast), which shows the receipt.

32 client threads take voters from one queue. A share of voters (DOUBLE_SHARE) is queued twice, back to back,
and both attempts wait for each other (a barrier) just before the cast: exactly one must get a receipt and the
other a refusal ("already voted"; or, for two casts from one session, possibly the return to step 1 because the
first cast ended the session). Measured: ballots per second over the wall time of the whole run, p50/p99 of
the cast request and of each step. Then checked in the database: ballots stored == participations == receipts
shown == voters; every receipt shown is stored; no duplicates.

Then the cast alone: BENCH_VOTERS_CAST other voters (default 2,000) whose sessions are written beforehand as step 2
leaves them, so the figure is the capacity of the request that stores the ballot (its view, service, locks and
page). BENCH_VOTERS_JOURNEY (default 500) voters run the whole journey: 2,500 voters vote in a run, about two
and a half minutes on 2 idle cores (longer on a busy machine).

Server CPU per attempt (gunicorn's processes and their PostgreSQL backends, read from /proc, see bench.load) does
not depend on the machine's load: cores / CPU per attempt is what an idle machine could sustain.

Then the online ballot box (`measure_ballot_box`): the CPU that sealing one ballot costs (what encryption adds to
the cast), the time to shuffle and decrypt BENCH_BOX_SIZE (default 50,000) sealed ballots in one process, and the
opening of this run's box through its service with two of the three key holders' shares.
"""

from __future__ import annotations

import contextlib
import datetime
import html
import http.client
import os
import queue
import random
import re
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench.load import cpu_between, gunicorn_description, start_gunicorn

JOURNEY_VOTERS = int(os.environ.get("BENCH_VOTERS_JOURNEY", "500"))
CAST_VOTERS = int(os.environ.get("BENCH_VOTERS_CAST", "2000"))
CLIENTS = 32
DOUBLE_SHARE = 0.05
SLUG_PREFIX = "bench-voting-"
CANDIDATES = 9
LANGUAGE = "en"
ALREADY_VOTED = "already voted"
#: The second of two casts in one session can also find the session ended by the first: sent back to step 1.
SESSION_ENDED = "session ended"
REFUSALS = {ALREADY_VOTED, SESSION_ENDED}
HOLDERS = ["Bench holder 1", "Bench holder 2", "Bench holder 3"]
#: The shuffle and decryption of a box of this size is timed in-process (the bench election has fewer ballots).
BOX_SIZE = int(os.environ.get("BENCH_BOX_SIZE", "50000"))


# --- The election -------------------------------------------------------------------------------------------


def delete_bench_elections() -> None:
    """Every election this section created (ballots first: their choices protect the candidacies)."""
    from elections.models import Ballot, Election, Participation

    for election in Election.objects.filter(slug__startswith=SLUG_PREFIX):
        Ballot.objects.filter(election=election).delete()
        Participation.objects.filter(election=election).delete()
        election.delete()


def build_election():
    """An election in its voting phase, online voting open, the whole register on its roll, nobody voted yet; its
    key ceremony held (returns the election and the key holders' shares)."""
    from django.utils import timezone

    from elections import guards, services
    from elections.models import Candidacy, PollingStation
    from portal.models import Person

    today = timezone.localdate()
    tz = timezone.get_current_timezone()

    def at(day: datetime.date, hour: int) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)

    election = services.election_create(
        actor=None,
        council_name="Bench council",
        slug=f"{SLUG_PREFIX}{time.time_ns()}",
        seats=7,
        min_candidates=5,
        quorum_percent=5,
        roll_reference_date=today - datetime.timedelta(days=120),
        candidacies_open_on=today - datetime.timedelta(days=100),
        candidacies_close_on=today - datetime.timedelta(days=60),
        candidates_published_on=today - datetime.timedelta(days=45),
        voting_opens_at=at(today - datetime.timedelta(days=1), 0),
        voting_closes_at=at(today + datetime.timedelta(days=14), 20),
        complaints_end_on=today + datetime.timedelta(days=30),
        online_voting=True,
    )
    PollingStation.objects.create(
        election=election,
        name="Bench station",
        address="Rue du Banc 1, 1000 Bruxelles",
        opens_at=at(today + datetime.timedelta(days=1), 9),
        closes_at=at(today + datetime.timedelta(days=1), 17),
    )
    services.election_advance(election=election, actor=None)
    candidates = []
    lease_holders = Person.objects.current(today).filter(
        role=Person.Role.LEASE_HOLDER, external_ref__startswith="BP-"
    )
    for person in lease_holders.order_by("pk")[:200]:
        if not guards.candidacy_eligibility_problems(election=election, person=person):
            candidates.append(person)
        if len(candidates) == CANDIDATES:
            break
    for index, person in enumerate(candidates):
        candidacy = services.candidacy_submit(
            election=election,
            person=person,
            channel=Candidacy.Channel.PAPER,
            received_on=today - datetime.timedelta(days=70 + index),
        )
        services.candidacy_decide(
            candidacy=candidacy,
            accept=True,
            reason="",
            charter_signed=True,
            court_check_done=True,
            actor=None,
        )
    services.roll_generate(election=election, actor=None)
    services.election_advance(election=election, actor=None)
    shares = [s.text for s in services.ballot_box_create(election=election, holders=HOLDERS, actor=None)]
    for share in shares:
        services.key_share_check(election=election, share=share, actor=None)
    services.election_advance(election=election, actor=None)
    return election, shares


@dataclass
class Voter:
    index: int
    entry: int
    code: str
    birth_date: str
    barrier: threading.Barrier | None = None  # set on both attempts of a voter who tries twice at once
    cookies: dict[str, str] = field(default_factory=dict)  # cast-only voters: identified already
    choices: list[str] = field(default_factory=list)  # cast-only voters: what they tick


def voters_of(election, count: int, rng: random.Random) -> list[Voter]:
    from elections import codes

    entries = list(
        election.roll.filter(removed=False, person__external_ref__startswith="BP-").values_list(
            "pk", "code_seed", "person__birth_date"
        )
    )
    chosen = rng.sample(entries, min(count, len(entries)))
    return [
        Voter(
            index=i,
            entry=pk,
            code=codes.format_code(codes.code_from_seed(seed)),
            birth_date=born.isoformat(),
        )
        for i, (pk, seed, born) in enumerate(chosen)
    ]


def identify_in_database(election, voters: list[Voter], rng: random.Random) -> None:
    """Sessions as step 2 of the journey leaves them (the voter's roll entry), written in bulk, and a CSRF
    secret: these voters go straight to the cast."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from elections.selectors import accepted_candidacies
    from elections.views import VOTER_SESSION_KEY

    options = [str(pk) for pk in accepted_candidacies(election).values_list("pk", flat=True)]
    store = SessionStore()
    expires = timezone.now() + datetime.timedelta(hours=2)
    sessions = []
    for voter in voters:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = store.encode({VOTER_SESSION_KEY: {"election": election.pk, "entry": voter.entry}})
        sessions.append(Session(session_key=key, session_data=data, expire_date=expires))
        voter.choices = rng.sample(options, rng.randint(0, 3))
        voter.cookies = {
            settings.SESSION_COOKIE_NAME: key,
            settings.CSRF_COOKIE_NAME: get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS),
        }
    Session.objects.bulk_create(sessions, batch_size=1000)


# --- The client ---------------------------------------------------------------------------------------------


@dataclass
class Attempt:
    number: int  # also picks the client's source address
    voter: int
    double: bool
    outcome: str = ""  # "receipt", "already voted" or what went wrong
    receipt: str = ""
    steps: dict[str, float] = field(default_factory=dict)  # seconds per request


class Browser:
    """One voter's browser: its own source address, keep-alive connection and cookies."""

    def __init__(self, host: str, port: int, source: str):
        self.conn = http.client.HTTPConnection(host, port, timeout=60, source_address=(source, 0))
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: list[tuple[str, str]] | None = None
    ) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.getheader("Location", ""), text

    def close(self) -> None:
        self.conn.close()


def _field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"', page)
    if not match:
        raise ValueError(f"no field {name}")
    return html.unescape(match.group(1) or match.group(2))


def _captcha_answer(key: str) -> str:
    from captcha.models import CaptchaStore

    return CaptchaStore.objects.get(hashkey=key).response


def vote(base: str, slug: str, voter: Voter, attempt: Attempt, source: str, rng: random.Random) -> None:
    host, port = base.removeprefix("http://").split(":")
    browser = Browser(host, int(port), source)
    start_url = f"/{LANGUAGE}/elections/{slug}/vote/"
    ballot_url = f"/{LANGUAGE}/elections/{slug}/vote/ballot/"

    def timed(step: str, method: str, path: str, form=None) -> tuple[int, str, str]:
        started = time.perf_counter()
        result = browser.request(method, path, form)
        attempt.steps[step] = time.perf_counter() - started
        return result

    try:
        status, _, page = timed("identify form", "GET", start_url)
        key = _field(page, "captcha_0")
        image = re.search(r'<img[^>]*src="(/captcha/image/[^"]+)"', page)
        if image:
            timed("captcha image", "GET", html.unescape(image.group(1)))
        form = [
            ("csrfmiddlewaretoken", _field(page, "csrfmiddlewaretoken")),
            ("code", voter.code),
            ("birth_date", voter.birth_date),
            ("captcha_0", key),
            ("captcha_1", _captcha_answer(key)),
        ]
        status, location, page = timed("identify", "POST", start_url, form)
        if status != 302 or not location.endswith("/vote/ballot/"):
            attempt.outcome = ALREADY_VOTED if ALREADY_VOTED in page else f"identify: {status}"
            return
        status, _, page = timed("ballot", "GET", ballot_url)
        options = re.findall(r'name="candidates" value="(\d+)"', page)
        chosen = rng.sample(options, rng.randint(0, min(3, len(options))))
        token = _field(page, "csrfmiddlewaretoken")
        choices = [("candidates", c) for c in chosen]
        status, _, page = timed(
            "review", "POST", ballot_url, [("csrfmiddlewaretoken", token), ("step", "review"), *choices]
        )
        if voter.barrier is not None:
            browser.close()  # the server drops idle connections after 2 s; the cast opens a fresh one
            with contextlib.suppress(threading.BrokenBarrierError):
                voter.barrier.wait(timeout=30)
        status, _, page = timed(
            "cast", "POST", ballot_url, [("csrfmiddlewaretoken", token), ("step", "cast"), *choices]
        )
        _outcome(attempt, status, page)
    except (OSError, http.client.HTTPException, ValueError) as error:
        attempt.outcome = f"{type(error).__name__}: {error}"
    finally:
        browser.close()


def cast_only(base: str, slug: str, voter: Voter, attempt: Attempt, source: str, rng: random.Random) -> None:
    """The last request of the journey alone: the confirmation of a voter identified already."""
    host, port = base.removeprefix("http://").split(":")
    browser = Browser(host, int(port), source)
    browser.cookies = dict(voter.cookies)
    form = [("csrfmiddlewaretoken", voter.cookies["csrftoken"]), ("step", "cast")]
    form += [("candidates", c) for c in voter.choices]
    try:
        if voter.barrier is not None:
            with contextlib.suppress(threading.BrokenBarrierError):
                voter.barrier.wait(timeout=30)
        started = time.perf_counter()
        status, location, page = browser.request("POST", f"/{LANGUAGE}/elections/{slug}/vote/ballot/", form)
        attempt.steps["cast"] = time.perf_counter() - started
        _outcome(attempt, status, page, location)
    except (OSError, http.client.HTTPException) as error:
        attempt.outcome = f"{type(error).__name__}: {error}"
    finally:
        browser.close()


def _outcome(attempt: Attempt, status: int, page: str, location: str = "") -> None:
    receipt = re.search(r'class="receipt"[^>]*>([^<]+)<', page)
    if status == 200 and receipt:
        attempt.outcome, attempt.receipt = "receipt", receipt.group(1).strip()
    elif ALREADY_VOTED in page:
        attempt.outcome = ALREADY_VOTED
    elif status == 302 and location.endswith("/vote/"):
        attempt.outcome = SESSION_ENDED
    else:
        attempt.outcome = f"cast: {status}"


def _source_address(n: int) -> str:
    return f"127.{10 + n // 62500}.{n // 250 % 250}.{n % 250 + 1}"


def run_voters(
    journey: Callable[..., None],
    base: str,
    slug: str,
    voters: list[Voter],
    rng: random.Random,
    first_address: int = 0,
) -> tuple[list[Attempt], float]:
    """`journey` (vote or cast_only) for every voter, twice at once for DOUBLE_SHARE of them, by CLIENTS threads;
    returns the attempts and the wall time."""
    from django.db import connection

    jobs: queue.Queue[tuple[Voter, Attempt]] = queue.Queue()
    attempts: list[Attempt] = []
    doubles = {voter.index for voter in rng.sample(voters, int(len(voters) * DOUBLE_SHARE))}
    for voter in voters:
        tries = 2 if voter.index in doubles else 1
        if tries == 2:
            voter.barrier = threading.Barrier(2)
        for _ in range(tries):  # back to back: two free clients take them at once
            attempt = Attempt(number=len(attempts), voter=voter.index, double=tries == 2)
            attempts.append(attempt)
            jobs.put((voter, attempt))

    def client(number: int) -> None:
        local = random.Random(number)  # noqa: S311 - choices of a simulated voter
        try:
            while True:
                try:
                    voter, attempt = jobs.get_nowait()
                except queue.Empty:
                    return
                journey(base, slug, voter, attempt, _source_address(first_address + attempt.number), local)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return attempts, time.perf_counter() - started


# --- Checks and report --------------------------------------------------------------------------------------


def check(election, attempts: list[Attempt]) -> dict:
    """What the database holds against what the voters were shown."""
    from elections.models import Ballot, Participation

    receipts = [a.receipt for a in attempts if a.outcome == "receipt"]
    voted = {a.voter for a in attempts if a.outcome == "receipt"}
    stored = Ballot.objects.filter(election=election)
    stored_receipts = set(stored.filter(receipt__in=receipts).values_list("receipt", flat=True))
    ballots = stored.count()
    return {
        "voters": len({a.voter for a in attempts}),
        "casts": len(receipts),
        "voted": len(voted),
        "participations": Participation.objects.filter(election=election).count(),
        "ballots": ballots,
        "lost": len(set(receipts) - stored_receipts),
        "duplicated": max(0, ballots - len(voted)) + (len(receipts) - len(set(receipts))),
    }


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def _one_counted(outcomes: list[str]) -> bool:
    """Two attempts of one voter: exactly one receipt, the other refused."""
    return len(outcomes) == 2 and outcomes.count("receipt") == 1 and any(o in REFUSALS for o in outcomes)


def format_phase(title: str, attempts: list[Attempt], wall: float, cpu: float, steps: list[str]) -> str:
    casts = sum(a.outcome == "receipt" for a in attempts)
    by_voter: dict[int, list[str]] = {}
    for attempt in attempts:
        if attempt.double:
            by_voter.setdefault(attempt.voter, []).append(attempt.outcome)
    doubles_ok = sum(_one_counted(outcomes) for outcomes in by_voter.values())
    refusals = [a.outcome for a in attempts if a.outcome in REFUSALS]
    failures = [a.outcome for a in attempts if a.outcome not in REFUSALS | {"receipt"}]
    lines = [
        f"**{title}: {casts / wall:.1f} ballots/s** ({casts} ballots in {wall:.1f} s wall time, {CLIENTS} clients; "
        f"{len(attempts)} attempts of which {len(by_voter)} voters twice at the same instant: "
        f"{doubles_ok}/{len(by_voter)} got one receipt and one refusal ({refusals.count(ALREADY_VOTED)} "
        f"“already voted”, {refusals.count(SESSION_ENDED)} sent back to step 1); other failures: {len(failures)}"
        + (f", first: {failures[:3]}" if failures else "")
        + ").",
        f"Server CPU (gunicorn and its PostgreSQL backends, from /proc): {cpu * 1000 / len(attempts):.1f} ms per "
        f"attempt, so at most **{os.cpu_count() * len(attempts) / cpu:.0f} /s** on {os.cpu_count()} idle cores "
        "with nothing else running.\n",
        "| request | p50 ms | p99 ms |",
        "|---|---|---|",
    ]
    for step in steps:
        values = [a.steps[step] for a in attempts if step in a.steps]
        lines.append(f"| {step} | {_percentile(values, 50):.1f} | {_percentile(values, 99):.1f} |")
    return "\n".join(lines) + "\n\n"


def format_counts(counts: dict, doubles_ok: bool) -> str:
    ok = (
        counts["ballots"]
        == counts["participations"]
        == counts["casts"]
        == counts["voted"]
        == counts["voters"]
        and doubles_ok
    )
    return (
        f"Database after both runs: {counts['ballots']} ballots, {counts['participations']} participations, "
        f"{counts['casts']} receipts shown, {counts['voted']} of {counts['voters']} voters voted: **lost "
        f"{counts['lost']}, duplicated {counts['duplicated']}**. {'All consistent.' if ok else 'NOT CONSISTENT.'}\n"
    )


JOURNEY_STEPS = ["identify form", "captcha image", "identify", "ballot", "review", "cast"]


def run(rounds: int) -> str:
    """`rounds` is not used: one run of each phase (each run needs a fresh election)."""
    from django.db import connection
    from django.utils import timezone

    rng = random.Random(7)  # noqa: S311 - reproducible choice of voters
    delete_bench_elections()
    section_started = timezone.now()
    started = time.perf_counter()
    election, shares = build_election()
    roll = election.roll.count()
    voters = voters_of(election, JOURNEY_VOTERS + CAST_VOTERS, rng)
    journey_voters, cast_voters = voters[:JOURNEY_VOTERS], voters[JOURNEY_VOTERS:]
    identify_in_database(election, cast_voters, rng)
    print(f"Election with a roll of {roll:,} built in {time.perf_counter() - started:.1f} s", flush=True)
    connection.close()
    report = (
        f"A fresh election, a roll of {roll:,}, through {gunicorn_description()} on {os.cpu_count()} cores "
        f"shared with the {CLIENTS} client threads and PostgreSQL. Wall-time figures depend on the machine's "
        "load; server CPU per attempt does not.\n\n"
    )
    try:
        with start_gunicorn() as server:
            before = server.cpu()
            journeys, wall = run_voters(vote, server.base, election.slug, journey_voters, rng)
            cpu = cpu_between(before, server.cpu())
            report += format_phase(
                f"Whole journey ({len(JOURNEY_STEPS)} requests)", journeys, wall, cpu, JOURNEY_STEPS
            )
            before = server.cpu()
            casts, wall = run_voters(
                cast_only, server.base, election.slug, cast_voters, rng, first_address=len(journeys)
            )
            cpu = cpu_between(before, server.cpu())
            report += format_phase(
                "Cast request alone (voters identified beforehand)", casts, wall, cpu, ["cast"]
            )
        attempts = journeys + casts
        doubles_ok = all(
            _one_counted([a.outcome for a in attempts if a.voter == v])
            for v in {a.voter for a in attempts if a.double}
        )
        report += format_counts(check(election, attempts), doubles_ok)
        return report + measure_ballot_box(election, shares)
    finally:
        delete_bench_elections()
        _drop_queued_work(section_started)


def _drop_queued_work(since) -> None:
    """The mails and letters the election's services queued (candidacy decisions...): their election is gone,
    so the next section's worker must not find them."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from portal.models import NotificationBatch

    NotificationBatch.objects.filter(created_at__gte=since).delete()
    DBTaskResult.objects.filter(status=TaskResultStatus.READY, enqueued_at__gte=since).delete()


# --- The ballot box -----------------------------------------------------------------------------------------


def measure_ballot_box(election, shares: list[str], seals: int = 2000) -> str:
    """What sealing adds to a cast (in-process CPU per ballot), the time to shuffle and decrypt BOX_SIZE ballots,
    and the opening of this run's box through its service (decrypt, write the counted ballots and receipts)."""
    from elections import ballot_box, services
    from elections.models import Ballot

    rng = random.Random(13)  # noqa: S311 - simulated choices
    key = ballot_box.key_create(election_id=0, threshold=2, holders=3)
    ctx = ballot_box.context(0, key.public_key)
    choices = [rng.sample(range(1, 10), rng.randint(0, 3)) for _ in range(max(seals, BOX_SIZE))]
    started = time.process_time()
    for picked in choices[:seals]:
        ballot_box.seal(picked, public_key=key.public_key, ctx=ctx)
    seal_ms = (time.process_time() - started) * 1000 / seals
    box = [ballot_box.seal(picked, public_key=key.public_key, ctx=ctx) for picked in choices[:BOX_SIZE]]
    wall, cpu = time.perf_counter(), time.process_time()
    private_key = ballot_box.private_key_from_shares(
        key.shares[1:],
        threshold=2,
        public_key=key.public_key,
        wrapped_private_key=key.wrapped_private_key,
        ctx=ctx,
    )
    opened = ballot_box.open_box(box, private_key=private_key, ctx=ctx)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert sorted(map(sorted, opened)) == sorted(
        map(sorted, choices[:BOX_SIZE])
    )  # a wrong decryption would make the figure meaningless

    sealed = Ballot.objects.filter(election=election).count()
    services.election_advance(election=election, actor=None, now=election.voting_closes_at)
    started = time.perf_counter()
    services.ballot_box_open(election=election, shares=shares[:2], actor=None)
    service = time.perf_counter() - started
    return (
        f"\n**Sealing a ballot** (HPKE X25519 + AES-128-GCM, in the cast request): {seal_ms:.2f} ms of CPU per "
        f"ballot (goal under 1 ms), included in the cast's server CPU above.\n"
        f"**Shuffling and decrypting {BOX_SIZE:,} sealed ballots** in one process: {wall:.1f} s wall, {cpu:.1f} s CPU "
        f"(goal under 10 s on 2 cores; one core is used).\n"
        f"Opening this run's box through `ballot_box_open` ({sealed:,} sealed ballots: check the shares, shuffle, "
        f"decrypt, write the counted ballots and the receipts, delete the sealed ballots): {service:.2f} s.\n"
    )
