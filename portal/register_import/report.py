"""What an import did (or would do), row by row: kept as JSON between the upload and the confirmation."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

ENTITIES = ("neighbourhood", "site", "building", "dwelling", "household", "person")
OUTCOMES = ("created", "updated", "unchanged", "closed")


class RowStatus:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


@dataclass
class RowResult:
    line: int
    person_ref: str
    name: str
    status: str
    messages: list[str] = field(default_factory=list)


@dataclass
class ClosedResult:
    kind: str
    ref: str
    name: str
    end_date: str


def empty_counts() -> dict[str, dict[str, int]]:
    return {entity: dict.fromkeys(OUTCOMES, 0) for entity in ENTITIES}


@dataclass
class ImportReport:
    export_date: datetime.date
    full_export: bool = True
    dry_run: bool = False
    accept_valid_rows: bool = False
    file_name: str = ""
    encoding: str = ""
    delimiter: str = ""
    file_errors: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    closed: list[ClosedResult] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=empty_counts)
    applied: bool = False
    seconds: float = 0.0

    @property
    def rejected_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == RowStatus.REJECTED]

    @property
    def valid_row_count(self) -> int:
        return sum(1 for row in self.rows if row.status != RowStatus.REJECTED)

    @property
    def rejected_row_count(self) -> int:
        return len(self.rows) - self.valid_row_count

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or self.rejected_row_count > 0

    @property
    def can_apply_valid_rows(self) -> bool:
        return not self.file_errors and self.valid_row_count > 0

    def rows_with(self, status: str) -> list[RowResult]:
        return [row for row in self.rows if row.status == status]

    def summary(self) -> str:
        """A one-line English summary for the audit log and logs."""
        persons = self.counts["person"]
        households = self.counts["household"]
        return (
            f"{len(self.rows)} rows, {self.rejected_row_count} rejected; persons: {persons['created']} created, "
            f"{persons['updated']} updated, {persons['closed']} closed; households: {households['created']} "
            f"created, {households['updated']} updated, {households['closed']} closed"
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["export_date"] = self.export_date.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        data = dict(data)
        data["export_date"] = datetime.date.fromisoformat(data["export_date"])
        data["rows"] = [RowResult(**row) for row in data.get("rows", [])]
        data["closed"] = [ClosedResult(**closed) for closed in data.get("closed", [])]
        return cls(**data)
