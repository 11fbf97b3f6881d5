"""What each app declares about the personal data it holds: sections of "My data" and retention rules.

An app describes its records in its own `gdpr.py` and registers them from its `AppConfig.ready()`::

    gdpr.register(gdpr.Section(
        key="meetings_suggestions",
        title=_("Topics you suggested for tenant meetings"),
        covers={"meetings.TopicSuggestion": "exported; deleted with the account, anonymised once on an agenda"},
        items=suggestion_items,        # (subject) -> list of flat dicts, one per record
        delete=suggestions_delete,     # (subject) -> None, inside the account removal's transaction
        labels={"title": _("Topic")},  # readable names of the keys of the items
        events={"meetings.suggestion_received": _("Topic suggested")},  # audit actions, readable
    ))
    gdpr.register_retention(gdpr.RetentionRule(key=..., description=..., apply=...))

`covers` names every model (`app_label.Model`) whose rows point at an account or a register person, directly or
through one foreign key, with one sentence on how export and removal treat it; tests/portal/test_gdpr_schema.py
fails when a model is in no section's `covers`. A value of an item may be an `ExportFile`: the file goes into
the downloaded archive and the item names its path there.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise

Text = str | Promise


@dataclass(frozen=True)
class Subject:
    """Whose data: an account, a register person, or both (an account linked to a person)."""

    user: Any = None
    person: Any = None

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    @property
    def person_id(self) -> int | None:
        return getattr(self.person, "pk", None)


@dataclass(frozen=True)
class ExportFile:
    """A file of the person's (an attachment, a photo) to put in the archive under `name`."""

    file: FieldFile
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Section:
    key: str
    title: Text
    covers: Mapping[str, str]
    items: Callable[[Subject], list[dict[str, Any]]] | None = None
    delete: Callable[[Subject], None] | None = None
    labels: Mapping[str, Text] = field(default_factory=dict)
    events: Mapping[str, Text] = field(default_factory=dict)
    #: Sections are shown in this order (then in the order they were registered).
    order: int = 50


@dataclass(frozen=True)
class RetentionRule:
    """Something the privacy page promises to delete after a period. `apply(now, dry_run)` returns how many
    records it deleted or emptied (or would, with `dry_run`); it runs in its own transaction."""

    key: str
    description: str
    apply: Callable[[datetime.datetime, bool], int]


_sections: dict[str, Section] = {}
_rules: dict[str, RetentionRule] = {}


def register(section: Section) -> Section:
    """Add (or replace, by key) a section of personal data."""
    _sections[section.key] = section
    return section


def registered_sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: s.order)


def register_retention(rule: RetentionRule) -> RetentionRule:
    _rules[rule.key] = rule
    return rule


def retention_rules() -> list[RetentionRule]:
    return list(_rules.values())


@contextlib.contextmanager
def registered(*extra: Section | RetentionRule) -> Iterator[None]:
    """Tests: sections or rules registered only inside the block."""
    saved = dict(_sections), dict(_rules)
    for item in extra:
        if isinstance(item, Section):
            register(item)
        else:
            register_retention(item)
    try:
        yield
    finally:
        _sections.clear()
        _sections.update(saved[0])
        _rules.clear()
        _rules.update(saved[1])


def covered_models() -> dict[str, list[str]]:
    """Model label -> the keys of the sections that declare it."""
    covered: dict[str, list[str]] = {}
    for section in _sections.values():
        for label in section.covers:
            covered.setdefault(label, []).append(section.key)
    return covered


def labels() -> dict[str, Text]:
    merged: dict[str, Text] = {}
    for section in registered_sections():
        merged.update(section.labels)
    return merged


def event_labels() -> dict[str, Text]:
    merged: dict[str, Text] = {}
    for section in registered_sections():
        merged.update(section.events)
    return merged
