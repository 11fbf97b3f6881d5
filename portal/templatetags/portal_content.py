"""Template tags for texts that exist per language (see portal/content.py).

{% load portal_content %}
{% localized meeting "summary" as summary %}
<div lang="{{ summary.language }}">{{ summary.text|linebreaks }}</div>
{% fallback_note summary %}
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from portal import content

register = template.Library()

_ONLY_IN = {
    "fr": lambda: _("Text available in French only."),
    "nl": lambda: _("Text available in Dutch only."),
    "en": lambda: _("Text available in English only."),
}


@register.simple_tag
def localized(obj, field: str) -> content.LocalizedText:
    """`field` of `obj` in the reader's language, or the first language that has it."""
    return content.localized(obj, field)


@register.simple_tag
def fallback_note(text: content.LocalizedText) -> str:
    """The note shown beside a text that is not in the reader's language ('' otherwise)."""
    if not isinstance(text, content.LocalizedText) or not text.is_fallback:
        return ""
    note = _ONLY_IN.get(text.language)
    if note is None:
        return ""
    return format_html('<p class="fallback-note">{}</p>', note())
