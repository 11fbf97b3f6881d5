"""Printable documents: the one way to turn a template into a PDF, in one language or in several.

A bilingual document is a *part* template rendered once per language (inside `translation.override`, with
`language` in its context) and a *document* template that extends `documents/base.html` (A4, fonts) and lays
the parts out::

    from portal import documents

    pdf = documents.bilingual_pdf(
        "meetings/minutes_pdf_part.html", {"meeting": meeting, "items": meeting.public_items},
        languages=meeting.language_codes, document="meetings/minutes_pdf.html",
    )
    return documents.pdf_response(pdf, f"minutes-{meeting.pk}.pdf", attachment=False)

Used by the minutes PDF (`meetings/documents.py`), the official results record (`elections/pdf.py`), the
linking letters (`portal/accounts/admin.py`) and the notification letters and hall notices
(`portal/notifications/rendering.py`, which adds its own parallel rendering of big batches). WeasyPrint itself
is called only in `portal/pdf.py`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from . import pdf


def company_context() -> dict[str, Any]:
    """The sender printed on every document: the housing company's name and address, the site's address."""
    address = getattr(settings, "PORTAL_COMPANY_ADDRESS", "")
    return {
        "company_name": getattr(settings, "PORTAL_COMPANY_NAME", ""),
        "company_address": address,
        "company_address_lines": [
            part.strip() for part in address.replace("\n", ",").split(",") if part.strip()
        ],
        "site_url": getattr(settings, "WAGTAILADMIN_BASE_URL", ""),
    }


@dataclasses.dataclass(frozen=True)
class Part:
    """One language's rendering of a part template; prints as its HTML in a template (`{{ part }}`)."""

    language: str
    html: SafeString

    def __str__(self) -> str:
        return self.html

    def __html__(self) -> SafeString:
        return self.html


def render_parts(
    template_name: str,
    context: dict[str, Any],
    languages: Iterable[str],
    *,
    per_language: Callable[[str], dict[str, Any]] | None = None,
) -> list[Part]:
    """The template rendered once per language, in that language, with `language` and the company's details
    (plus what `per_language(language)` returns, for values that differ by language, e.g. a URL)."""
    parts = []
    for language in languages:
        with translation.override(language):
            extra = per_language(language) if per_language is not None else {}
            html = render_to_string(
                template_name, {**company_context(), **context, **extra, "language": language}
            )
        parts.append(Part(language=language, html=mark_safe(html)))  # noqa: S308 - rendered by the template engine
    return parts


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """One WeasyPrint call; relative URLs (images, fonts) resolve from the checkout unless `base_url` is given."""
    return pdf.html_to_pdf(html, base_url or str(settings.BASE_DIR))


def render_pdf(template_name: str, context: dict[str, Any], *, base_url: str | None = None) -> bytes:
    """A document template (extending `documents/base.html`) rendered and laid out as a PDF."""
    return html_to_pdf(render_to_string(template_name, {**company_context(), **context}), base_url=base_url)


def bilingual_pdf(
    part: str,
    context: dict[str, Any],
    *,
    languages: Sequence[str] = ("fr", "nl"),
    document: str = "documents/base.html",
    document_context: dict[str, Any] | None = None,
) -> bytes:
    """`part` rendered in each language (French then Dutch by default), laid out by `document` into one PDF."""
    parts = render_parts(part, context, languages)
    return render_pdf(document, {**(document_context or {}), "parts": parts, "language": languages[0]})


def pdf_response(
    content: bytes, filename: str, *, attachment: bool = True, private: bool = True
) -> HttpResponse:
    """A PDF for the browser, downloaded (`attachment`) or shown inline; a `private` one (personal data) is
    never kept by a cache."""
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
