"""Who a notification is for: register selections (neighbourhoods ... persons) and plain addresses.

Built by the apps, stored on the batch as JSON (`Audience.as_json`), turned into deliveries by
`recipients.plan_deliveries`. Imported through `portal.notifications.services`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _


def _ids(items: Iterable[Any] | None) -> list[int]:
    return sorted({item if isinstance(item, int) else item.pk for item in (items or [])})


@dataclasses.dataclass(frozen=True)
class Address:
    """A recipient outside the register: an organisation, an anonymous visitor who left an e-mail address.

    Reached by e-mail when `email` is given, else by letter to `postal` (lines of a postal address) when the
    message has a letter, else not at all. `language`: "fr", "nl", "en", or "" for French and Dutch.
    """

    email: str = ""
    name: str = ""
    postal: str = ""
    language: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "email": self.email.strip(),
            "name": self.name.strip()[:200],
            "postal": self.postal.strip(),
            "language": (self.language or "")[:2],
        }

    def is_empty(self) -> bool:
        return not (self.email.strip() or self.postal.strip())


@dataclasses.dataclass
class Audience:
    """Who a notification is for: the union of the given selections (model instances or primary keys).

    Neighbourhoods, sites and buildings select the households living there on `on` (today by default).
    `per_person=False`: one recipient per household (a letter to the occupants, or an e-mail to each adult
    member with a usable address); `per_person=True`: every current person of the selected households,
    individually. Persons given in `persons` are always addressed individually. `addresses` are recipients
    outside the register (`Address`).
    """

    neighbourhoods: Sequence[Any] = ()
    sites: Sequence[Any] = ()
    buildings: Sequence[Any] = ()
    households: Sequence[Any] = ()
    persons: Sequence[Any] = ()
    addresses: Sequence[Address] = ()
    per_person: bool = False
    on: datetime.date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "neighbourhoods": _ids(self.neighbourhoods),
            "sites": _ids(self.sites),
            "buildings": _ids(self.buildings),
            "households": _ids(self.households),
            "persons": _ids(self.persons),
            "addresses": [address.as_json() for address in self.addresses if not address.is_empty()],
            "per_person": bool(self.per_person),
            "on": (self.on or timezone.localdate()).isoformat(),
        }

    def is_empty(self) -> bool:
        data = self.as_json()
        keys = ("neighbourhoods", "sites", "buildings", "households", "persons", "addresses")
        return not any(data[key] for key in keys)

    def validate(self) -> None:
        """Refuse an empty audience or a malformed e-mail address, with a message a worker can read."""
        if self.is_empty():
            raise ValidationError(
                _("Choose at least one neighbourhood, site, building, household, person or address.")
            )
        for address in self.addresses:
            if address.email.strip():
                try:
                    validate_email(address.email.strip())
                except ValidationError as exc:
                    raise ValidationError(
                        _("“%(email)s” is not a valid e-mail address.") % {"email": address.email}
                    ) from exc
