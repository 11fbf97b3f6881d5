"""An export of several thousand persons (several batches of the import's bulk writes), then a newer export with
changes, then the same again: every count right. How long it takes is measured by `make bench` (bench/jobs.py, a
50,000-person export against its 30-second target), never asserted here: timings vary with the machine's load.
"""

import datetime

import pytest

from portal.models import Household, Person
from portal.register_import import register_import
from tests.portal.register_csv import generated_export, to_csv

pytestmark = pytest.mark.django_db

PERSONS = 5_000


def test_thousands_of_persons_import_and_reimport_with_changes_and_every_count_is_right():
    rows = generated_export(PERSONS)
    first = register_import(content=to_csv(rows))
    assert first.applied
    assert first.counts["person"]["created"] == PERSONS
    households = Household.objects.count()
    assert first.counts["household"]["created"] == households

    # The next month: 300 people left (their rows are gone), 200 changed e-mail, 100 moved house, 500 arrived.
    newer = rows[300:]
    for row in newer[:200]:
        row["email"] = f"new.{row['person_ref'].lower()}@example.org"
    for row in newer[1000:1100]:
        row["last_name"] = "Janssens"
    arrivals = generated_export(500, seed=2)
    for row in arrivals:
        for key in ("person_ref", "household_ref", "dwelling_ref"):
            row[key] = row[key].replace("-", "-NEW-", 1)
    newer += arrivals
    content = to_csv(newer)

    second = register_import(content=content)
    left = {row["person_ref"] for row in rows[:300]}
    assert second.counts["person"]["created"] == 500
    assert second.counts["person"]["updated"] == 300
    assert second.counts["person"]["closed"] == 300
    assert {closed.ref for closed in second.closed if closed.kind == "person"} == left
    assert Person.objects.count() == PERSONS + 500  # nobody duplicated, nobody deleted
    assert Person.objects.filter(external_ref__in=left, end_date__isnull=False).count() == 300
    tomorrow = second.export_date + datetime.timedelta(days=1)  # people who left count until their last day
    assert Person.objects.current(tomorrow).count() == PERSONS - 300 + 500

    third = register_import(content=content)
    assert third.counts["person"] == {"created": 0, "updated": 0, "unchanged": PERSONS + 200, "closed": 0}
