"""Exports of a call's applications, scores and decisions (CSV and spreadsheet) for the workers and the jury."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import Call
from .selectors import ranking


def rows(call: Call) -> list[list]:
    criteria, ranked = ranking(call)
    header = [
        _("Reference"),
        _("Title"),
        _("Applicant"),
        _("Neighbourhood"),
        _("Status"),
        _("Amount asked"),
        *[c.name for c in criteria],
        _("Weighted score"),
        _("Reviews"),
        _("Amount granted"),
        _("Motivation"),
    ]
    body = []
    decided_ids = set()
    for r in ranked:
        a = r.application
        decided_ids.add(a.pk)
        decision = getattr(a, "decision", None)
        body.append(
            [
                a.reference,
                a.title,
                a.applicant_name,
                str(a.neighbourhood or ""),
                str(a.get_status_display()),
                a.requested_total,
                *[r.per_criterion.get(c.pk, "") for c in criteria],
                r.score or "",
                r.reviews,
                decision.amount if decision else "",
                decision.motivation if decision else "",
            ]
        )
    others = (
        call.applications.exclude(pk__in=decided_ids)
        .exclude(status="draft")
        .select_related("neighbourhood", "organisation", "owner", "on_behalf_of")
    )
    for a in others:
        body.append(
            [
                a.reference,
                a.title,
                a.applicant_name,
                str(a.neighbourhood or ""),
                str(a.get_status_display()),
                a.requested_total,
                *["" for _c in criteria],
                "",
                0,
                "",
                "",
            ]
        )
    return [header, *body]


def _safe(value):
    """Neutralise spreadsheet formulas typed by applicants (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def as_csv(call: Call) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows(call):
        writer.writerow([_safe(v) for v in row])
    return buffer.getvalue()


def as_xlsx(call: Call) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(call.year)
    for row in rows(call):
        sheet.append(
            [_safe(v) if isinstance(v, str) else (float(v) if hasattr(v, "as_tuple") else v) for v in row]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
