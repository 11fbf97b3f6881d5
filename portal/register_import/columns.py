"""The columns of the rental system's export: one row per person, in any order, names as in the header row."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = True
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("neighbourhood_slug", max_length=80),
    Column("neighbourhood_name_fr", max_length=120),
    Column("neighbourhood_name_nl", max_length=120),
    Column("site_ref", max_length=60),
    Column("site_name", max_length=120),
    Column("building_ref", max_length=60),
    Column("street", max_length=200),
    Column("number", max_length=20),
    Column("postcode", max_length=10),
    Column("municipality", max_length=120),
    Column("dwelling_ref", max_length=60),
    Column("unit", max_length=30),
    Column("household_ref", max_length=60),
    Column("lease_start"),
    Column("lease_end", required=False),
    Column("household_language", required=False),
    Column("person_ref", max_length=60),
    Column("first_name", max_length=120),
    Column("last_name", max_length=120),
    Column("birth_date"),
    Column("role"),
    Column("registered_on"),
    Column("living_since"),
    Column("left_on", required=False),
    Column("language", required=False),
    Column("email", required=False, max_length=254),
    Column("phone", required=False, max_length=40),
)
COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)
COLUMNS_BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}

#: Accepted spellings of the role column (compared in lower case, spaces and dashes read as underscores).
ROLE_VALUES = {
    "lease_holder": "lease_holder",
    "leaseholder": "lease_holder",
    "titulaire": "lease_holder",
    "titularis": "lease_holder",
    "huurder": "lease_holder",
    "locataire": "lease_holder",
    "member": "member",
    "membre": "member",
    "lid": "member",
    "gezinslid": "member",
}
LANGUAGE_VALUES = {"fr": "fr", "nl": "nl", "en": "en", "français": "fr", "francais": "fr", "nederlands": "nl"}


def normalise_header(name: str) -> str:
    return name.strip().strip('"').lower().replace(" ", "_").replace("-", "_")
