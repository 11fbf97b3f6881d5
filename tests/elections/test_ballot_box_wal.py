"""What PostgreSQL's write-ahead log keeps of the vote: every base backup, WAL archive or replica made on voting day
holds these bytes. Read straight from the test server's WAL files (the tests run where the server runs, as root or
as the server's user), between the WAL positions before and after the vote.

Candidacies get recognisable ids (past 2^32, so that each is a distinctive 8-byte pattern): a plaintext choice
written by the vote would show as that id stored as PostgreSQL stores a bigint (8 bytes, little-endian), as the
sealed ballot's plaintext encodes it (big-endian) or as text (JSON, decimal). A probe table written the same way
shows the search finds a plaintext id when there is one.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import time_machine
from Crypto.Protocol.SecretSharing import Shamir
from django.db import connection
from django.test import Client
from django.urls import reverse

from elections import ballot_box, services
from elections.models import Ballot, Election
from elections.views.voting import VOTER_SESSION_KEY
from portal import roles

from .factories import (
    AFTER_CANDIDACIES,
    DURING_CANDIDACIES,
    DURING_VOTING,
    KEY_HOLDERS,
    accept,
    election_in_voting,
    make_company,
    make_election,
    make_user,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
FIRST_CANDIDACY_ID = 7_391_820_466


def _one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _lsn(text: str) -> int:
    high, low = text.split("/")
    return (int(high, 16) << 32) | int(low, 16)


def wal_position() -> int:
    return _lsn(_one("SELECT pg_current_wal_insert_lsn()::text"))


def wal_between(start: int, end: int) -> bytes:
    """The WAL records' bytes from `start` to `end`, WAL page headers removed (a record may cross pages)."""
    data_directory = Path(_one("SHOW data_directory"))
    if not (data_directory / "pg_wal").is_dir():
        pytest.fail(
            f"The test server's WAL is not readable from here ({data_directory}): run the tests on it."
        )
    for _ in range(100):  # commits flush their WAL; wait for the last bytes to be on disk
        if _lsn(_one("SELECT pg_current_wal_flush_lsn()::text")) >= end:
            break
        time.sleep(0.05)
    segment = int(_one("SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'"))
    page = int(_one("SELECT setting FROM pg_settings WHERE name = 'wal_block_size'"))
    timeline = _one("SELECT pg_walfile_name(pg_current_wal_insert_lsn())")[:8]
    per_id = 2**32 // segment
    raw = b""
    for number in range(start // segment, end // segment + 1):
        name = f"{timeline}{number // per_id:08X}{number % per_id:08X}"
        raw += (data_directory / "pg_wal" / name).read_bytes()
    base = (start // segment) * segment
    out = bytearray()
    for page_start in range(start - start % page, end, page):
        header = 40 if page_start % segment == 0 else 24  # long header at a segment's start, short otherwise
        low, high = max(page_start + header, start), min(page_start + page, end)
        if low < high:
            out += raw[low - base : high - base]
    return bytes(out)


def encodings(number: int) -> list[bytes]:
    """How a plaintext candidacy id would look in the WAL."""
    return [number.to_bytes(8, "little"), number.to_bytes(8, "big"), str(number).encode()]


@pytest.fixture
def wal_compression_off():
    """Full-page images in the clear, so that nothing written is hidden from the search by compression."""
    with connection.cursor() as cursor:
        cursor.execute("SET wal_compression = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET wal_compression")


def _recognisable_candidacy_ids():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('elections_candidacy', 'id'), %s, false)",
            [FIRST_CANDIDACY_ID],
        )


def test_the_wal_written_during_the_vote_holds_sealed_ballots_and_no_plaintext_choice(wal_compression_off):
    _recognisable_candidacy_ids()
    election, persons, accepted, committee = election_in_voting(voters=12, candidates=6)
    ids = [c.pk for c in accepted]
    assert min(ids) >= FIRST_CANDIDACY_ID
    url = reverse("elections:vote_ballot", kwargs={"slug": election.slug})
    entries = list(election.roll.order_by("pk").values_list("pk", flat=True))[:10]

    start = wal_position()
    with time_machine.travel(DURING_VOTING, tick=False):
        for n, entry in enumerate(entries):  # through the web, as a voter's browser (identified at step 1)
            client = Client()
            session = client.session
            session[VOTER_SESSION_KEY] = {"election": election.pk, "entry": entry}
            session.save()
            chosen = [ids[n % 6], ids[(n + 1) % 6], ids[(n + 3) % 6]]
            done = client.post(url, {"candidates": [str(c) for c in chosen], "step": "cast"})
            assert done.status_code == 200 and "receipt" in done.content.decode()
    wal = wal_between(start, wal_position())

    sealed = [bytes(s) for s in Ballot.objects.filter(election=election).values_list("sealed", flat=True)]
    assert len(sealed) == 10
    # The range read is the vote's: each sealed ballot is in it (any of three pieces, in case a page cut one)...
    assert all(any(s[i : i + 24] in wal for i in (0, 64, 128)) for s in sealed)
    # ... and no candidate chosen appears in it in any plaintext form.
    found = [(c, e) for c in ids for e in encodings(c) if e in wal]
    assert not found, f"plaintext choices in the WAL: {found}"


def test_the_search_finds_a_choice_written_in_the_clear(wal_compression_off):
    """The control of the test above: ids written as today's plaintext ballots stored them (a bigint column)."""
    ids = [FIRST_CANDIDACY_ID + 5, FIRST_CANDIDACY_ID + 9]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE wal_probe_choice (id uuid, candidacy_id bigint)")
    try:
        start = wal_position()
        with connection.cursor() as cursor:
            for candidacy_id in ids:
                cursor.execute("INSERT INTO wal_probe_choice VALUES (gen_random_uuid(), %s)", [candidacy_id])
        wal = wal_between(start, wal_position())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE wal_probe_choice")
    assert all(c.to_bytes(8, "little") in wal for c in ids)


def test_the_key_ceremony_writes_no_share_and_no_key_to_the_database_or_its_wal(
    wal_compression_off, restore_migration_data, home_pages
):
    committee = make_user(roles.ELECTION_COMMITTEE)
    persons = make_company(households=6, members=2)
    with time_machine.travel(DURING_CANDIDACIES, tick=False):
        election = make_election()
        services.election_advance(election=election, actor=committee)
        for person in persons[:5]:
            accept(election, person, actor=committee)
        services.roll_generate(election=election, actor=committee)
    client = Client()
    client.force_login(committee)
    names = KEY_HOLDERS[: election.key_holders]
    with time_machine.travel(AFTER_CANDIDACIES, tick=False):
        services.election_advance(election=election, actor=committee)
        start = wal_position()
        page = client.post(
            reverse("elections:manage_key_ceremony", kwargs={"slug": election.slug}),
            {f"holder_{n}": name for n, name in enumerate(names, start=1)} | {"understood": "on"},
        )
        html = page.content.decode()
        texts = re.findall(r'class="key-share__code">([^<]+)<', html)
        for text in texts:  # each holder types their share back
            client.post(
                reverse("elections:manage_key_check", kwargs={"slug": election.slug}), {"share": text}
            )
        wal = wal_between(start, wal_position())
    assert len(texts) == 3 and "no-store" in page["Cache-Control"]
    shares = [ballot_box.share_parse(t) for t in texts]
    box = Election.objects.get(pk=election.pk).ballot_box
    assert all(h.checked_at for h in box.holders.all())
    ctx = ballot_box.context(election.pk, bytes(box.public_key))
    wrap_key = Shamir.combine([(s.index, s.value) for s in shares[:2]])
    private = ballot_box.private_key_from_shares(
        shares[1:],
        threshold=2,
        public_key=bytes(box.public_key),
        wrapped_private_key=bytes(box.wrapped_private_key),
        ctx=ctx,
    )
    raw_private = private.private_bytes(
        ballot_box.RAW, ballot_box.serialization.PrivateFormat.Raw, ballot_box.serialization.NoEncryption()
    )
    secrets_written = [s.value for s in shares] + [t.encode() for t in texts] + [wrap_key, raw_private]
    assert bytes(box.public_key) in wal  # the range read is the ceremony's
    assert not [s for s in secrets_written if s in wal]
    # Nor anywhere in the database (every table, every column, as text).
    dump = _database_as_text()
    assert not [t for t in texts if t in dump or t.replace("-", "") in dump]
    assert not [s for s in secrets_written if s.hex() in dump]


def _database_as_text() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [row[0] for row in cursor.fetchall()]
        parts = []
        for table in tables:
            cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608 - names from the catalogue
            parts += [row[0] for row in cursor.fetchall()]
    return "\n".join(parts)
