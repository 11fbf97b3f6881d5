"""Texts that workers write for tenants, in each language the company writes in.

A text that exists per language is stored in one column per language, named after the field and the language code
(title_fr, title_nl, title_en): declared with django-modeltranslation in an app's `translation` module, or by hand
as on `portal.models.Neighbourhood` (`name_fr`, `name_nl`). `PORTAL_CONTENT_LANGUAGES` lists the languages the company
writes in (Brussels: French and Dutch; a Flemish company: Dutch only): forms ask for each of them and publication
guards check them (`missing_languages`).

A reader gets their own language. Where the text does not exist in it, they get the first of the company's languages
that has it, and the page says so (`LocalizedText.is_fallback`, the `fallback_note` template tag: "text available in
Dutch only"), with the text marked up in its own language (`lang` attribute) so that screen readers read it right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import get_language


def content_languages() -> list[str]:
    """The languages the company writes its content in, in the order it set them (the first is its main one)."""
    return list(settings.PORTAL_CONTENT_LANGUAGES)


def reader_language(language: str | None = None) -> str:
    """The language asked for, or the active one, reduced to its code (`nl-be` -> `nl`)."""
    return (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]


def reading_order(language: str | None = None) -> list[str]:
    """The reader's language first, then the company's languages, then any other language of the interface."""
    first = reader_language(language)
    order = [first, *content_languages(), *(code for code, _name in settings.LANGUAGES)]
    return list(dict.fromkeys(order))


@dataclass(frozen=True)
class LocalizedText:
    """A text in the language it was found in (`language`), for a reader of `requested`."""

    text: str
    language: str
    requested: str

    @property
    def is_fallback(self) -> bool:
        """The reader's language was missing: the text is in another language."""
        return bool(self.text) and self.language != self.requested

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def text_in(obj: Any, field: str, language: str) -> str:
    """The stored text of `field` in exactly `language` ('' when it has none)."""
    return (getattr(obj, f"{field}_{language}", "") or "").strip()


def localized(obj: Any, field: str, language: str | None = None) -> LocalizedText:
    """`field` of `obj` for a reader of `language` (the active language by default), falling back in
    `reading_order`."""
    requested = reader_language(language)
    for code in reading_order(requested):
        text = text_in(obj, field, code)
        if text:
            return LocalizedText(text, code, requested)
    return LocalizedText("", requested, requested)


def missing_languages(obj: Any, fields: Iterable[str]) -> dict[str, list[str]]:
    """For each field written in at least one language, the company's languages it still lacks.

    A field empty in every language is not reported: whether it is required is the form's business."""
    missing = {}
    for field in fields:
        present = [code for code in content_languages() if text_in(obj, field, code)]
        if present and len(present) < len(content_languages()):
            missing[field] = [code for code in content_languages() if code not in present]
    return missing


def check_content_languages(app_configs=None, **kwargs) -> list:
    """System check: PORTAL_CONTENT_LANGUAGES names at least one of the interface's languages, and only those."""
    from django.core import checks

    known = {code for code, _name in settings.LANGUAGES}
    languages = content_languages()
    if not languages or any(code not in known for code in languages):
        return [
            checks.Error(
                f"PORTAL_CONTENT_LANGUAGES must list one or more of {sorted(known)}, not {languages}.",
                id="portal.E110",
            )
        ]
    return []
