"""Context builders of the portal's own messages (see the package docstring for the convention)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def _in_language(value: Any) -> str:
    """Pick the active language's text from {"fr": ..., "nl": ..., "en": ...} (French, then any, as fallback)."""
    if not isinstance(value, dict):
        return str(value or "")
    language = (get_language() or "fr")[:2]
    return value.get(language) or value.get("fr") or next((text for text in value.values() if text), "")


def information_context(context: dict[str, Any]) -> dict[str, Any]:
    """`portal/information`: a free-text message written by a worker in each language."""
    return {"subject": _in_language(context.get("subject")), "text": _in_language(context.get("text"))}
