"""The official results record: one PDF with a French and a Dutch part, ready to be signed by the committee."""

from __future__ import annotations

from portal import documents

from .models import Election, ElectionResult


def results_record_pdf(election: Election, result: ElectionResult) -> bytes:
    candidates = list(result.candidates.select_related("candidacy").order_by("rank"))
    return documents.bilingual_pdf(
        "elections/results_record.html",
        {"election": election, "result": result, "candidates": candidates},
        languages=("fr", "nl"),
        document="elections/results_record_pdf.html",
    )
