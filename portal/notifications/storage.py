"""Private file storage: letters and notices name tenants and their addresses, so they are never served as media.

Files are read back only through permission-checked views (`portal.notifications.views.batch_download`).
"""

from __future__ import annotations

import os
import tempfile

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage under settings.PRIVATE_MEDIA_ROOT, read when used (a FileField evaluates its storage
    once, at import: tests and the bench that move the root after start-up are followed)."""

    @property
    def base_location(self):  # type: ignore[override] - a cached_property in FileSystemStorage
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def replace(self, name: str, content: bytes) -> str:
        """Write `name` whole or not at all (a temporary file renamed over it), replacing an earlier version.

        A job killed half-way leaves the earlier file (or nothing) in place, never a truncated PDF, and a job run
        again writes the same name instead of a second copy beside the first.
        """
        path = self.path(name)
        directory = os.path.dirname(path)
        os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return name


def private_storage() -> PrivateStorage:
    """The private storage, with no public URL (`url()` refuses)."""
    return PrivateStorage(base_url=None)
