"""Validation of each row, then of the rows together (duplicates, one thing described two different ways)."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.utils import timezone
from django.utils.translation import gettext as _

from .columns import COLUMNS, LANGUAGE_VALUES, ROLE_VALUES

ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
BELGIAN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass
class RowData:
    """One valid row, typed. Parents are named by their references (resolved to keys by the engine)."""

    line: int
    neighbourhood_slug: str
    neighbourhood_name_fr: str
    neighbourhood_name_nl: str
    site_ref: str
    site_name: str
    building_ref: str
    street: str
    number: str
    postcode: str
    municipality: str
    dwelling_ref: str
    unit: str
    household_ref: str
    lease_start: datetime.date
    lease_end: datetime.date | None
    household_language: str
    person_ref: str
    first_name: str
    last_name: str
    birth_date: datetime.date
    role: str
    registered_on: datetime.date
    living_since: datetime.date
    left_on: datetime.date | None
    language: str
    email: str
    phone: str


@dataclass
class RowProblem:
    line: int
    person_ref: str
    name: str
    messages: list[str]
    household_ref: str = ""


def parse_date(value: str) -> datetime.date:
    """YYYY-MM-DD or DD/MM/YYYY; ValueError otherwise."""
    match = ISO_DATE.match(value)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    match = BELGIAN_DATE.match(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    raise ValueError(value)


DATE_COLUMNS = ("lease_start", "lease_end", "birth_date", "registered_on", "living_since", "left_on")


def validate_row(
    line: int, values: dict[str, str], shape_problems: list[str], *, today: datetime.date | None = None
) -> RowData | RowProblem:
    """Check one row on its own: required values, lengths, dates, role, languages, e-mail."""
    messages = list(shape_problems)
    for column in COLUMNS:
        value = values.get(column.name, "")
        if column.required and not value:
            messages.append(_("Column %(column)s is empty.") % {"column": column.name})
        elif column.max_length and len(value) > column.max_length:
            messages.append(
                _("Column %(column)s is too long (%(length)s characters, at most %(max)s).")
                % {"column": column.name, "length": len(value), "max": column.max_length}
            )
    dates: dict[str, datetime.date | None] = {}
    for name in DATE_COLUMNS:
        value = values.get(name, "")
        dates[name] = None
        if not value:
            continue
        try:
            dates[name] = parse_date(value)
        except ValueError:
            messages.append(
                _('Column %(column)s: "%(value)s" is not a date (write YYYY-MM-DD or DD/MM/YYYY).')
                % {"column": name, "value": value}
            )
    role = ROLE_VALUES.get(normal(values.get("role", "")))
    if values.get("role") and role is None:
        messages.append(
            _('Column role: "%(value)s" is neither lease_holder nor member.') % {"value": values["role"]}
        )
    languages = {}
    for name in ("household_language", "language"):
        value = values.get(name, "")
        languages[name] = LANGUAGE_VALUES.get(value.lower(), "") if value else ""
        if value and not languages[name]:
            messages.append(
                _('Column %(column)s: "%(value)s" is not a language (write fr, nl or en).')
                % {"column": name, "value": value}
            )
    email = values.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            messages.append(_('Column email: "%(value)s" is not a valid e-mail address.') % {"value": email})
    slug = values.get("neighbourhood_slug", "")
    if slug:
        try:
            validate_slug(slug)
        except ValidationError:
            messages.append(
                _(
                    'Column neighbourhood_slug: "%(value)s" may only hold letters, digits, dashes and underscores.'
                )
                % {"value": slug}
            )
    messages.extend(_check_date_order(dates, today or timezone.localdate()))
    if messages:
        return RowProblem(
            line, values.get("person_ref", ""), _name(values), messages, values.get("household_ref", "")
        )
    return RowData(
        line=line,
        neighbourhood_slug=slug,
        neighbourhood_name_fr=values["neighbourhood_name_fr"],
        neighbourhood_name_nl=values["neighbourhood_name_nl"],
        site_ref=values["site_ref"],
        site_name=values["site_name"],
        building_ref=values["building_ref"],
        street=values["street"],
        number=values["number"],
        postcode=values["postcode"],
        municipality=values["municipality"],
        dwelling_ref=values["dwelling_ref"],
        unit=values["unit"],
        household_ref=values["household_ref"],
        lease_start=dates["lease_start"],
        lease_end=dates["lease_end"],
        household_language=languages["household_language"],
        person_ref=values["person_ref"],
        first_name=values["first_name"],
        last_name=values["last_name"],
        birth_date=dates["birth_date"],
        role=role,
        registered_on=dates["registered_on"],
        living_since=dates["living_since"],
        left_on=dates["left_on"],
        language=languages["language"],
        email=email.lower() if email else "",
        phone=values.get("phone", ""),
    )


def _check_date_order(dates: dict[str, datetime.date | None], today: datetime.date) -> list[str]:
    messages = []
    if dates["birth_date"] and dates["birth_date"] > today:
        messages.append(_("Conflicting data: the date of birth is in the future."))
    if dates["lease_start"] and dates["lease_end"] and dates["lease_end"] < dates["lease_start"]:
        messages.append(_("Conflicting data: the lease ends (lease_end) before it starts (lease_start)."))
    if dates["living_since"] and dates["left_on"] and dates["left_on"] < dates["living_since"]:
        messages.append(_("Conflicting data: the person left (left_on) before arriving (living_since)."))
    if dates["birth_date"] and dates["living_since"] and dates["living_since"] < dates["birth_date"]:
        messages.append(_("Conflicting data: the person lives in the dwelling since before their birth."))
    return messages


def normal(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_")


def _name(values: dict[str, str]) -> str:
    return f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()


#: What must be identical on every row that mentions the same thing: (label, key, fields).
ENTITY_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("neighbourhood", "neighbourhood_slug", ("neighbourhood_name_fr", "neighbourhood_name_nl")),
    ("site", "site_ref", ("site_name", "neighbourhood_slug")),
    ("building", "building_ref", ("site_ref", "street", "number", "postcode", "municipality")),
    ("dwelling", "dwelling_ref", ("building_ref", "unit")),
    ("household", "household_ref", ("dwelling_ref", "lease_start", "lease_end", "household_language")),
)


def check_across_rows(
    rows: list[RowData], problems: list[RowProblem]
) -> tuple[list[RowData], list[RowProblem]]:
    """Reject every row of a person reference given twice, and rows that describe an entity differently
    from an earlier row (the first description wins; later rows must agree with it)."""
    lines_by_ref: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        lines_by_ref[row.person_ref].append(row.line)
    for problem in problems:
        if problem.person_ref:
            lines_by_ref[problem.person_ref].append(problem.line)
    valid: list[RowData] = []
    rejected = list(problems)
    first_seen: dict[tuple[str, str], RowData] = {}
    for row in rows:
        messages = []
        lines = lines_by_ref[row.person_ref]
        if len(lines) > 1:
            messages.append(
                _("Duplicate person reference %(ref)s: it appears on lines %(lines)s.")
                % {"ref": row.person_ref, "lines": ", ".join(str(line) for line in sorted(lines))}
            )
        for label, key, fields in ENTITY_FIELDS:
            earlier = first_seen.get((label, getattr(row, key)))
            if earlier is None:
                continue
            differing = [name for name in fields if getattr(earlier, name) != getattr(row, name)]
            if differing:
                messages.append(
                    _(
                        "Conflicting data: %(entity)s %(ref)s is described differently on line %(line)s "
                        "(%(columns)s)."
                    )
                    % {
                        "entity": _(label),
                        "ref": getattr(row, key),
                        "line": earlier.line,
                        "columns": ", ".join(differing),
                    }
                )
        if messages:
            rejected.append(
                RowProblem(
                    row.line, row.person_ref, f"{row.first_name} {row.last_name}", messages, row.household_ref
                )
            )
            continue
        for label, key, _fields in ENTITY_FIELDS:
            first_seen.setdefault((label, getattr(row, key)), row)
        valid.append(row)
    rejected.sort(key=lambda problem: problem.line)
    return valid, rejected
