"""Demo register: five Brussels-like neighbourhoods with sites, buildings, dwellings, households and persons.

Deterministic (seeded), idempotent (keyed by external references).
"""

import datetime
import random

from .models import Building, Dwelling, Household, Neighbourhood, Person, Site

NEIGHBOURHOODS = [
    (
        "marolles",
        "Les Marolles",
        "De Marollen",
        [("Rue Haute", "1000", "Bruxelles"), ("Rue Blaes", "1000", "Bruxelles")],
    ),
    ("peterbos", "Peterbos", "Peterbos", [("Parc du Peterbos", "1070", "Anderlecht")]),
    ("cite-modele", "Cité Modèle", "Modelwijk", [("Avenue de la Cité Modèle", "1020", "Laeken")]),
    (
        "helmet",
        "Helmet",
        "Helmet",
        [("Rue Waelhem", "1030", "Schaerbeek"), ("Rue Helmet", "1030", "Schaerbeek")],
    ),
    ("quartier-nord", "Quartier Nord", "Noordwijk", [("Rue du Progrès", "1210", "Saint-Josse-ten-Noode")]),
]
FIRST_NAMES = [
    "Fatima",
    "Jean",
    "Mohamed",
    "Marie",
    "Ahmed",
    "Nadia",
    "Luc",
    "Aïcha",
    "Pierre",
    "Sofia",
    "Youssef",
    "Anne",
    "Karim",
    "Els",
    "Jan",
    "Leila",
    "Hassan",
    "Monique",
    "Tom",
    "Inès",
    "Omar",
    "Chantal",
]
LAST_NAMES = [
    "El Amrani",
    "Dubois",
    "Peeters",
    "Janssens",
    "Benali",
    "Lambert",
    "Diallo",
    "Maes",
    "Yilmaz",
    "Dupont",
    "Haddad",
    "Claes",
    "Mertens",
    "Kaya",
    "Lejeune",
    "Ndiaye",
    "Wouters",
    "Bakkali",
]


def load(stdout) -> None:
    rng = random.Random(42)  # noqa: S311 - demo data, not security
    created = 0
    for slug, name_fr, name_nl, streets in NEIGHBOURHOODS:
        hood, _ = Neighbourhood.objects.update_or_create(
            slug=slug, defaults={"name_fr": name_fr, "name_nl": name_nl}
        )
        site, _ = Site.objects.get_or_create(
            external_ref=f"S-{slug}", defaults={"neighbourhood": hood, "name": name_fr}
        )
        for s_index, (street, postcode, municipality) in enumerate(streets):
            for number in range(1, 4):
                ref = f"B-{slug}-{s_index}-{number}"
                building, _ = Building.objects.get_or_create(
                    external_ref=ref,
                    defaults={
                        "site": site,
                        "street": street,
                        "number": str(number * 2 + s_index),
                        "postcode": postcode,
                        "municipality": municipality,
                    },
                )
                for unit in range(1, 7):
                    dwelling, _ = Dwelling.objects.get_or_create(
                        external_ref=f"D-{ref}-{unit}",
                        defaults={"building": building, "unit": f"{unit // 3}.{unit}"},
                    )
                    start = datetime.date(2000 + rng.randrange(24), rng.randrange(1, 13), 1)
                    language = rng.choice(["fr", "fr", "nl", ""])
                    household, new = Household.objects.get_or_create(
                        external_ref=f"H-{ref}-{unit}",
                        defaults={"dwelling": dwelling, "start_date": start, "language": language},
                    )
                    if not new:
                        continue
                    last = rng.choice(LAST_NAMES)
                    for member in range(rng.choice([1, 1, 2, 3, 4])):
                        birth = datetime.date(
                            1940 + rng.randrange(70), rng.randrange(1, 13), rng.randrange(1, 28)
                        )
                        if member > 0 and birth.year < 1960:
                            birth = birth.replace(year=birth.year + 45)
                        first = rng.choice(FIRST_NAMES)
                        has_email = rng.random() < 0.4 and member == 0
                        Person.objects.create(
                            household=household,
                            external_ref=f"P-{ref}-{unit}-{member}",
                            first_name=first,
                            last_name=last,
                            birth_date=birth,
                            role=Person.Role.LEASE_HOLDER if member == 0 else Person.Role.MEMBER,
                            registered_on=start,
                            start_date=start,
                            language=language,
                            email=f"{first}.{last}.{unit}@example.org".lower().replace(" ", "")
                            if has_email
                            else "",
                        )
                        created += 1
    stdout.write(f"Register: {Person.objects.count()} persons ({created} new).")

    from .notifications import demo as notifications_demo

    notifications_demo.load(stdout)

    from .accounts import demo as demo_accounts

    demo_accounts.load(stdout)
