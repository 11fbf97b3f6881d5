"""The official results record: one PDF with a French and a Dutch part, ready to be signed by the committee."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .models import Election, ElectionResult


def results_record_pdf(election: Election, result: ElectionResult) -> bytes:
    from weasyprint import HTML

    candidates = list(result.candidates.select_related("candidacy").order_by("rank"))
    parts = []
    for language in ("fr", "nl"):
        with translation.override(language):
            parts.append(
                render_to_string(
                    "elections/results_record.html",
                    {
                        "election": election,
                        "result": result,
                        "candidates": candidates,
                        "company": settings.PORTAL_COMPANY_NAME,
                        "language": language,
                    },
                )
            )
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
        "@page { size: A4; margin: 2cm; } body { font-family: 'DejaVu Sans', sans-serif; font-size: 10.5pt; }"
        "section + section { page-break-before: always; } table { border-collapse: collapse; width: 100%; }"
        "th, td { border: 1px solid #888; padding: 4px 6px; text-align: left; } .sign { margin-top: 2cm; }"
        ".sign td { height: 2cm; vertical-align: bottom; border: 0; border-bottom: 1px solid #000; }"
        "</style></head><body>" + "".join(parts) + "</body></html>"
    )
    return HTML(string=html).write_pdf()
