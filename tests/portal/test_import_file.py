"""Reading the export file: encodings, delimiters, header problems. File-level problems import nothing."""

import pytest
from django.utils import translation

from portal.models import Person
from portal.register_import import register_import
from portal.register_import.columns import COLUMN_NAMES
from tests.portal.register_csv import person_row, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


ACCENTED = person_row(1, first_name="Aïcha", last_name="Lefèvre", street="Avenue de la Cité Modèle")


@pytest.mark.parametrize(
    ("encoding", "expected"), [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("cp1252", "Windows-1252")]
)
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_accented_names_are_read_right_in_every_accepted_encoding_and_delimiter(
    encoding, expected, delimiter
):
    report = register_import(content=to_csv([ACCENTED], encoding=encoding, delimiter=delimiter))
    assert report.applied, report.file_errors
    assert report.encoding == expected
    assert report.delimiter == delimiter
    person = Person.objects.select_related("household__dwelling__building").get()
    assert person.full_name == "Aïcha Lefèvre"
    assert person.household.dwelling.building.street == "Avenue de la Cité Modèle"


def test_quoted_values_with_the_delimiter_inside_are_kept_whole():
    report = register_import(content=to_csv([person_row(1, last_name="Dubois; dit Le Grand")]))
    assert report.applied
    assert Person.objects.get().last_name == "Dubois; dit Le Grand"


def test_a_missing_column_is_a_file_error_naming_it_and_imports_nothing():
    columns = [name for name in COLUMN_NAMES if name != "birth_date"]
    report = register_import(content=to_csv([person_row(1)], columns=columns))
    assert not report.applied
    assert "Missing columns: birth_date." in report.file_errors[0]
    assert report.rows == []
    assert not Person.objects.exists()


def test_an_unknown_column_is_a_file_error():
    columns = [*COLUMN_NAMES, "emial"]
    report = register_import(content=to_csv([person_row(1)], columns=columns))
    assert "Unknown columns: emial." in report.file_errors[0]
    assert not Person.objects.exists()


def test_header_names_are_read_without_regard_to_case_and_spaces():
    content = to_csv([person_row(1)]).replace(b"first_name", b"First Name", 1)
    assert register_import(content=content).applied


def test_a_file_in_an_unknown_encoding_is_refused_with_a_clear_message():
    content = to_csv([person_row(1)]) + "Žaneta\u0081".encode("latin-1", errors="ignore") + b"\x81\x8d"
    report = register_import(content=content)
    assert "encoding is not recognised" in report.file_errors[0]
    assert not Person.objects.exists()


def test_a_utf16_file_is_refused_with_advice_on_how_to_save_it():
    report = register_import(content=to_csv([person_row(1)], encoding="utf-16"))
    assert "UTF-16" in report.file_errors[0]


def test_a_spreadsheet_file_is_refused():
    report = register_import(content=b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100)
    assert "not a CSV text file" in report.file_errors[0]


def test_an_empty_file_and_a_header_without_rows_are_refused():
    assert "empty" in register_import(content=b"").file_errors[0]
    assert "no person" in register_import(content=to_csv([])).file_errors[0]


def test_a_line_with_too_few_values_is_rejected_not_shifted():
    content = to_csv([person_row(1), person_row(2)]).replace(b";Dubois;", b";", 1)
    report = register_import(content=content, dry_run=True)
    (row,) = report.rejected_rows
    assert row.line == 2
    assert "values where the header has" in row.messages[0]
