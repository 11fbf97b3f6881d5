"""The portal's own message kinds (see `kinds.py` for how an app declares its kinds)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from .kinds import MessageKind


def _in_language(value: Any) -> str:
    """Pick the active language's text from {"fr": ..., "nl": ..., "en": ...} (French, then any, as fallback)."""
    if not isinstance(value, dict):
        return str(value or "")
    language = (get_language() or "fr")[:2]
    return value.get(language) or value.get("fr") or next((text for text in value.values() if text), "")


def information_context(context: dict[str, Any]) -> dict[str, Any]:
    """`portal/information`: a free-text message written by a worker in each language."""
    return {"subject": _in_language(context.get("subject")), "text": _in_language(context.get("text"))}


#: A free-text message to tenants (works, outages), written by a worker in each language.
INFORMATION = MessageKind("portal/information", context=information_context)
#: The example of every template a message may have (used by the service's tests).
TEST_MESSAGE = MessageKind("portal/test_message")

KINDS = (INFORMATION, TEST_MESSAGE)
