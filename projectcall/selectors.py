"""Reads of the project call, written so the number of queries does not grow with the data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from .models import Application, Call, Criterion, Review

S = Application.Status


def with_totals(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.annotate(
        _requested_total=Coalesce(
            Sum("budget_lines__amount"),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        )
    )


def gallery(*, call: Call | None = None, neighbourhood_id: int | None = None) -> QuerySet[Application]:
    """Funded projects for the public gallery: no contact data is read or shown."""
    queryset = (
        Application.objects.funded()
        .select_related("call", "neighbourhood", "decision")
        .only(
            "id",
            "title",
            "summary",
            "project_status",
            "reference",
            "call__year",
            "call__title",
            "neighbourhood__name_fr",
            "neighbourhood__name_nl",
            "decision__amount",
            "status",
        )
        .order_by("-call__year", "title")
    )
    if call is not None:
        queryset = queryset.filter(call=call)
    if neighbourhood_id:
        queryset = queryset.filter(neighbourhood_id=neighbourhood_id)
    return queryset


@dataclass
class Ranked:
    application: Application
    score: Decimal | None
    reviews: int
    per_criterion: dict[int, Decimal] = field(default_factory=dict)


def ranking(call: Call) -> tuple[list[Criterion], list[Ranked]]:
    """Eligible (and decided) applications by weighted score: sum(weight x mean score) / sum(weights), out of 5."""
    criteria = list(call.criteria.all())
    weights = {c.pk: c.weight for c in criteria}
    total_weight = sum(weights.values()) or 1
    applications = with_totals(
        call.applications.filter(status__in=[S.ELIGIBLE, S.FUNDED, S.REJECTED])
        .select_related("neighbourhood", "decision")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(submitted_at__isnull=False).prefetch_related("scores"),
                to_attr="submitted_reviews",
            )
        )
    )
    rows = []
    for application in applications:
        sums: dict[int, list[int]] = defaultdict(list)
        for review in application.submitted_reviews:
            for score in review.scores.all():
                sums[score.criterion_id].append(score.value)
        per = {pk: Decimal(sum(v)) / len(v) for pk, v in sums.items()}
        score = None
        if application.submitted_reviews:
            score = (sum(weights[pk] * per.get(pk, Decimal(0)) for pk in weights) / total_weight).quantize(
                Decimal("0.01")
            )
        rows.append(Ranked(application, score, len(application.submitted_reviews), per))
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.application.reference))
    return criteria, rows
