"""The export of a person's data: the sections of "My data", the JSON document and the downloadable archive.

Every registered section (`portal.gdpr.registry.Section`, the portal's own in `portal.gdpr.sections`, each
app's in its `gdpr.py`) gives its items; the archive holds `my-data.json` and the person's own files
(attachments, photos) under `files/`.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from ..models import Person
from ..permissions import person_for
from . import registry
from .registry import ExportFile, Subject

#: Files larger than this stay out of memory while the archive is built.
_SPOOL_BYTES = 8 * 1024 * 1024


def subject_for(*, user: Any = None, person: Person | None = None) -> Subject:
    """The account and register person an export or a removal is about (the account's person if not given)."""
    if person is None and user is not None:
        person = person_for(user)
    if person is not None:
        person = Person.objects.select_related("household__dwelling__building__site__neighbourhood").get(
            pk=person.pk
        )
    return Subject(user=user, person=person)


def personal_data(*, user: Any = None, person: Person | None = None) -> list[dict[str, Any]]:
    """Every section of data the portal holds about this account and/or register person. Nothing about others.

    Sections without records are kept (the page says "Nothing."), so a person sees what could be there.
    """
    subject = subject_for(user=user, person=person)
    found = []
    for section in registry.registered_sections():
        if section.items is None:
            continue
        found.append({"key": section.key, "title": section.title, "items": section.items(subject)})
    return found


def _document(sections: list[dict[str, Any]], files: dict[int, str]) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, ExportFile):
            return files.get(id(value))
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    document = {
        "exported_at": timezone.now(),
        "sections": {
            section["key"]: {
                "title": str(section["title"]),
                "items": [{key: plain(value) for key, value in item.items()} for item in section["items"]],
            }
            for section in sections
        },
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def _files_of(sections: list[dict[str, Any]]) -> list[tuple[str, ExportFile]]:
    """(path in the archive, file) for every file of every item, with unique names."""
    found, used = [], set()
    for section in sections:
        for item in section["items"]:
            for value in item.values():
                for candidate in value if isinstance(value, list | tuple) else [value]:
                    if not isinstance(candidate, ExportFile) or not candidate.file:
                        continue
                    path = f"files/{section['key']}/{candidate.name}"
                    number = 1
                    while path in used:
                        number += 1
                        stem, dot, suffix = candidate.name.rpartition(".")
                        name = f"{stem}-{number}.{suffix}" if dot else f"{candidate.name}-{number}"
                        path = f"files/{section['key']}/{name}"
                    used.add(path)
                    found.append((path, candidate))
    return found


def personal_data_json(*, user: Any = None, person: Person | None = None) -> str:
    """The JSON document alone (files named by their path in the archive)."""
    sections = personal_data(user=user, person=person)
    return _document(sections, {id(f): path for path, f in _files_of(sections)})


def personal_data_archive(*, user: Any = None, person: Person | None = None) -> IO[bytes]:
    """A ZIP archive: `my-data.json` and the person's files. Returned open, at its start."""
    sections = personal_data(user=user, person=person)
    files = _files_of(sections)
    written: dict[int, str] = {}
    archive = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 - returned to the caller
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for path, export_file in files:
            try:
                with export_file.file.open("rb") as source, zipped.open(path, "w") as target:
                    for chunk in iter(lambda source=source: source.read(1024 * 1024), b""):
                        target.write(chunk)
            except FileNotFoundError:
                continue  # a file missing on disk: the JSON then says null for it
            written[id(export_file)] = path
        zipped.writestr("my-data.json", _document(sections, written))
    archive.seek(0)
    return archive


def display_sections(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sections with readable labels, for the "My data" page."""
    every_label = registry.labels()
    own = {section.key: section.labels for section in registry.registered_sections()}

    def readable(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def label(section_key: str, key: str) -> Any:
        return own.get(section_key, {}).get(key) or every_label.get(key) or key.replace("_", " ").capitalize()

    return [
        {
            **section,
            "rows": [
                [(label(section["key"], key), readable(value)) for key, value in item.items()]
                for item in section["items"]
            ],
        }
        for section in sections
    ]


def unlabelled_keys(sections: list[dict[str, Any]]) -> set[str]:
    """Keys an item uses without a readable label (tests keep this empty)."""
    every_label = registry.labels()
    own = {section.key: section.labels for section in registry.registered_sections()}
    return {
        f"{section['key']}.{key}"
        for section in sections
        for item in section["items"]
        for key in item
        if key not in own.get(section["key"], {}) and key not in every_label
    }
