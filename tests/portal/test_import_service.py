"""Importing the rental system's export into the register: upsert, closing, rejections, transactions."""

import datetime

import pytest
from django.utils import translation

from portal.models import AuditEvent, Household, Neighbourhood, Person
from portal.register_import import register_import
from tests.portal.register_csv import person_row, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Reports are written in the operator's language; these tests read the English source texts."""
    with translation.override("en"):
        yield


EXPORT_DAY = datetime.date(2025, 3, 31)


def run(rows, **options):
    options.setdefault("export_date", EXPORT_DAY)
    return register_import(content=to_csv(rows), **options)


def test_first_import_creates_the_whole_register_from_the_rows():
    report = run([person_row(1), person_row(2, household=1), person_row(3)])
    assert report.applied
    assert report.counts["person"]["created"] == 3
    assert report.counts["household"]["created"] == 2
    assert report.counts["neighbourhood"]["created"] == 1
    person = Person.objects.select_related("household__dwelling__building__site__neighbourhood").get(
        external_ref="P-2"
    )
    assert person.household.external_ref == "H-1"
    assert person.role == Person.Role.MEMBER
    assert person.household.dwelling.building.site.neighbourhood.name_nl == "De Marollen"
    assert [row.status for row in report.rows] == ["created", "created", "created"]


def test_second_import_of_the_same_file_creates_and_updates_nothing():
    rows = [person_row(1), person_row(2, household=1), person_row(3)]
    run(rows)
    report = run(rows)
    for entity, counts in report.counts.items():
        assert counts["created"] == 0, entity
        assert counts["updated"] == 0, entity
        assert counts["closed"] == 0, entity
    assert Person.objects.count() == 3
    assert {row.status for row in report.rows} == {"unchanged"}


def test_changed_row_updates_the_person_and_reports_the_changed_fields():
    run([person_row(1), person_row(2)])
    report = run([person_row(1, last_name="Dubois-Martin"), person_row(2)])
    assert report.counts["person"]["updated"] == 1
    assert Person.objects.get(external_ref="P-1").last_name == "Dubois-Martin"
    row = report.rows[0]
    assert row.status == "updated"
    assert "last name" in row.messages[0]


def test_person_missing_from_a_newer_full_export_is_closed_on_the_export_date_not_deleted():
    run([person_row(1), person_row(2), person_row(3, household=2)])
    report = run([person_row(1), person_row(2)], export_date=datetime.date(2025, 6, 30))
    assert report.counts["person"]["closed"] == 1
    assert report.counts["household"]["closed"] == 0
    gone = Person.objects.get(external_ref="P-3")
    assert gone.end_date == datetime.date(2025, 6, 30)
    assert Person.objects.current(datetime.date(2025, 6, 1)).filter(external_ref="P-3").exists()
    assert not Person.objects.current(datetime.date(2025, 7, 1)).filter(external_ref="P-3").exists()
    assert [(closed.kind, closed.ref) for closed in report.closed] == [("person", "P-3")]


def test_household_missing_from_a_full_export_is_closed_with_its_members():
    run([person_row(1), person_row(2)])
    report = run([person_row(1)])
    assert report.counts["household"]["closed"] == 1
    assert report.counts["person"]["closed"] == 1
    assert Household.objects.get(external_ref="H-2").end_date == EXPORT_DAY
    assert Person.objects.get(external_ref="P-2").end_date == EXPORT_DAY


def test_partial_export_closes_nobody():
    run([person_row(1), person_row(2)])
    report = run([person_row(1)], full_export=False)
    assert report.counts["person"]["closed"] == 0
    assert Person.objects.get(external_ref="P-2").end_date is None


def test_person_back_in_the_export_is_reopened():
    run([person_row(1), person_row(2)])
    run([person_row(1)])
    report = run([person_row(1), person_row(2)])
    assert report.counts["person"]["updated"] == 1
    assert report.counts["household"]["updated"] == 1
    assert Person.objects.get(external_ref="P-2").end_date is None


def test_a_file_with_a_rejected_row_changes_nothing():
    run([person_row(1)])
    report = run([person_row(1, last_name="Changed"), person_row(2, birth_date="31/02/1960")])
    assert not report.applied
    assert report.rejected_row_count == 1
    assert report.counts["person"]["updated"] == 1  # what would have been done
    assert Person.objects.get(external_ref="P-1").last_name == "Dubois"
    assert not Person.objects.filter(external_ref="P-2").exists()
    assert AuditEvent.objects.filter(action="register.imported").count() == 1


def test_accepting_valid_rows_imports_them_and_never_closes_a_person_on_a_rejected_row():
    run([person_row(1), person_row(2)])
    report = run(
        [person_row(1, last_name="Changed"), person_row(2, email="not-an-address"), person_row(3)],
        accept_valid_rows=True,
    )
    assert report.applied
    assert report.counts["person"] == {"created": 1, "updated": 1, "unchanged": 0, "closed": 0}
    assert Person.objects.get(external_ref="P-1").last_name == "Changed"
    assert Person.objects.get(external_ref="P-2").end_date is None
    assert Person.objects.get(external_ref="P-2").email == ""


def test_dry_run_reports_what_would_happen_and_writes_nothing():
    report = run([person_row(1), person_row(2)], dry_run=True)
    assert not report.applied
    assert report.counts["person"]["created"] == 2
    assert Person.objects.count() == 0
    assert Neighbourhood.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"birth_date": "1960-13-01"}, "birth_date"),
        ({"living_since": "yesterday"}, "is not a date"),
        ({"email": "fatima@"}, "not a valid e-mail address"),
        ({"first_name": ""}, "Column first_name is empty"),
        ({"role": "owner"}, "neither lease_holder nor member"),
        ({"language": "de"}, "is not a language"),
        ({"left_on": "2010-01-01"}, "left (left_on) before arriving"),
        ({"lease_end": "2001-01-01"}, "lease ends (lease_end) before it starts"),
        ({"unit": "x" * 31}, "too long"),
        ({"neighbourhood_slug": "les marolles"}, "neighbourhood_slug"),
    ],
)
def test_a_bad_value_rejects_the_row_with_a_reason(overrides, expected):
    report = run([person_row(1, **overrides)], dry_run=True)
    (row,) = report.rejected_rows
    assert row.line == 2
    assert expected in " ".join(row.messages)


def test_dates_are_read_in_iso_and_belgian_formats():
    run([person_row(1, birth_date="1958-04-12", living_since="01/06/2004", registered_on="1/6/2004")])
    person = Person.objects.get()
    assert person.birth_date == datetime.date(1958, 4, 12)
    assert person.start_date == datetime.date(2004, 6, 1)
    assert person.registered_on == datetime.date(2004, 6, 1)


def test_every_row_with_a_duplicated_person_reference_is_rejected():
    report = run([person_row(1), person_row(2), person_row(1, first_name="Autre")], dry_run=True)
    assert [row.line for row in report.rejected_rows] == [2, 4]
    assert "appears on lines 2, 4" in report.rejected_rows[0].messages[0]


def test_a_household_described_differently_on_two_rows_rejects_the_later_row():
    report = run([person_row(1), person_row(2, household=1, lease_start="2016-01-01")], dry_run=True)
    (row,) = report.rejected_rows
    assert row.line == 3
    assert "household H-1 is described differently on line 2 (lease_start)" in row.messages[0]


def test_an_email_left_empty_in_the_export_keeps_the_one_recorded_in_the_portal():
    run([person_row(1)])
    Person.objects.filter(external_ref="P-1").update(email="fatima@example.org")
    report = run([person_row(1)])
    assert report.counts["person"]["updated"] == 0
    assert Person.objects.get().email == "fatima@example.org"


def test_real_import_is_recorded_in_the_audit_log_and_a_dry_run_is_not():
    run([person_row(1)], dry_run=True)
    assert not AuditEvent.objects.filter(action="register.imported").exists()
    run([person_row(1)], file_name="export.csv")
    event = AuditEvent.objects.get(action="register.imported")
    assert event.data["counts"]["person"]["created"] == 1
    assert "export.csv" in event.summary


def test_new_parents_are_noted_on_the_row_that_introduces_them():
    report = run([person_row(1), person_row(2, household=1)])
    assert "new household H-1" in report.rows[0].messages
    assert report.rows[1].messages == []
