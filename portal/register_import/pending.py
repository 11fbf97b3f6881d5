"""An uploaded export waiting for confirmation: kept server-side in PRIVATE_MEDIA_ROOT, keyed by a random token.

The operator sees the dry-run report, then confirms without uploading the file again. The file holds personal
data: it never goes to public media, only its uploader can reach it, and it is removed once imported, cancelled,
or a day after the upload.
"""

from __future__ import annotations

import datetime
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from .report import ImportReport

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_AGE_SECONDS = 24 * 3600


def directory() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "register-imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


@dataclass
class PendingImport:
    token: str
    user_id: int
    file_name: str
    export_date: datetime.date
    full_export: bool
    report: ImportReport
    result: ImportReport | None = None

    @property
    def content_path(self) -> Path:
        return directory() / f"{self.token}.csv"

    @property
    def meta_path(self) -> Path:
        return directory() / f"{self.token}.json"

    def content(self) -> bytes:
        return self.content_path.read_bytes()

    def save(self) -> None:
        data: dict[str, Any] = {
            "user_id": self.user_id,
            "file_name": self.file_name,
            "export_date": self.export_date.isoformat(),
            "full_export": self.full_export,
            "report": self.report.to_dict(),
            "result": self.result.to_dict() if self.result else None,
        }
        self.meta_path.write_text(json.dumps(data), encoding="utf-8")

    def finish(self, result: ImportReport) -> None:
        """Keep the result for its page; the file itself is no longer needed."""
        self.result = result
        self.save()
        self.content_path.unlink(missing_ok=True)

    def discard(self) -> None:
        self.content_path.unlink(missing_ok=True)
        self.meta_path.unlink(missing_ok=True)


def create(
    *, content: bytes, user_id: int, file_name: str, export_date, full_export: bool, report
) -> PendingImport:
    remove_expired()
    pending = PendingImport(
        token=secrets.token_urlsafe(24),
        user_id=user_id,
        file_name=file_name,
        export_date=export_date,
        full_export=full_export,
        report=report,
    )
    pending.content_path.write_bytes(content)
    pending.content_path.chmod(0o600)
    pending.save()
    return pending


def load(token: str, *, user_id: int) -> PendingImport | None:
    """The pending import of this token if it belongs to this user, else None."""
    if not TOKEN_PATTERN.match(token):
        return None
    meta_path = directory() / f"{token}.json"
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data["user_id"] != user_id:
        return None
    return PendingImport(
        token=token,
        user_id=data["user_id"],
        file_name=data["file_name"],
        export_date=datetime.date.fromisoformat(data["export_date"]),
        full_export=data["full_export"],
        report=ImportReport.from_dict(data["report"]),
        result=ImportReport.from_dict(data["result"]) if data.get("result") else None,
    )


def remove_expired() -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for path in directory().glob("*"):
        if path.suffix in {".csv", ".json"} and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
