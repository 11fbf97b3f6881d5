"""Building rental-system exports for the register import tests (rows as dicts, written as CSV bytes)."""

from __future__ import annotations

import csv
import datetime
import io
import random

from portal.register_import.columns import COLUMN_NAMES


def person_row(n: int = 1, household: int | None = None, **overrides: str) -> dict[str, str]:
    """A valid row for person `n` in household `household` (default: its own), in the Marolles."""
    household = n if household is None else household
    row = {
        "neighbourhood_slug": "marolles",
        "neighbourhood_name_fr": "Les Marolles",
        "neighbourhood_name_nl": "De Marollen",
        "site_ref": "S-marolles",
        "site_name": "Les Marolles",
        "building_ref": "B-1",
        "street": "Rue Haute",
        "number": "10",
        "postcode": "1000",
        "municipality": "Bruxelles",
        "dwelling_ref": f"D-{household}",
        "unit": f"{household}",
        "household_ref": f"H-{household}",
        "lease_start": "2015-01-01",
        "lease_end": "",
        "household_language": "fr",
        "person_ref": f"P-{n}",
        "first_name": f"Prénom{n}",
        "last_name": "Dubois",
        "birth_date": "1960-05-01",
        "role": "lease_holder" if n == household else "member",
        "registered_on": "2015-01-01",
        "living_since": "2015-01-01",
        "left_on": "",
        "language": "fr",
        "email": "",
        "phone": "",
    }
    row.update(overrides)
    return row


def to_csv(
    rows: list[dict[str, str]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8",
    columns: list[str] | None = None,
) -> bytes:
    out = io.StringIO()
    columns = list(columns or COLUMN_NAMES)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    return out.getvalue().encode(encoding)


def generated_export(persons: int, *, seed: int = 1) -> list[dict[str, str]]:
    """A realistic export of about `persons` rows: 5 neighbourhoods, 20 buildings each, households of 1 to 4."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    household = 0
    hoods = ["marolles", "peterbos", "cite-modele", "helmet", "quartier-nord"]
    while len(rows) < persons:
        household += 1
        hood = hoods[household % 5]
        building = f"B-{hood}-{household % 97}"
        start = datetime.date(1990 + rng.randrange(34), rng.randrange(1, 13), 1).isoformat()
        size = min(rng.choice([1, 1, 2, 2, 3, 4]), persons - len(rows))
        for member in range(size):
            n = len(rows) + 1
            birth = datetime.date(1935 + rng.randrange(80), rng.randrange(1, 13), 1).isoformat()
            arrival = max(start, birth)
            rows.append(
                person_row(
                    n,
                    household,
                    neighbourhood_slug=hood,
                    neighbourhood_name_fr=hood.title(),
                    neighbourhood_name_nl=hood.title(),
                    site_ref=f"S-{hood}",
                    site_name=hood.title(),
                    building_ref=building,
                    street=f"Rue {hood.title()}",
                    number=str(household % 97),
                    postcode="1000",
                    dwelling_ref=f"D-{household}",
                    unit=str(household),
                    household_ref=f"H-{household}",
                    lease_start=start,
                    living_since=arrival,
                    registered_on=arrival,
                    role="lease_holder" if member == 0 else "member",
                    birth_date=birth,
                    email=f"p{n}@example.org" if rng.random() < 0.3 else "",
                )
            )
    return rows
