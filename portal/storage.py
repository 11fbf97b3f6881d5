"""The one private file storage: letters, hall notices, project attachments and reports, candidates' photos.

These files name tenants and their addresses, so they live under `settings.PRIVATE_MEDIA_ROOT`, are never served
as media, and are read back only through permission-checked views (for example
`portal.notifications.views.batch_download`, the project call's attachment views). They are written readable by
their owner and group only: files `PORTAL_PRIVATE_FILE_PERMISSIONS` (0o640), folders
`PORTAL_PRIVATE_DIRECTORY_PERMISSIONS` (0o750), whatever the process's umask.
"""

from __future__ import annotations

import os
import tempfile

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage whose root and modes are read from the settings when used (a FileField evaluates its
    storage once, at import: tests and the bench that move the root after start-up are followed)."""

    @property
    def base_location(self):  # type: ignore[override] - a cached_property in FileSystemStorage
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def file_permissions_mode(self):  # type: ignore[override]
        return self._value_or_setting(
            self._file_permissions_mode, getattr(settings, "PORTAL_PRIVATE_FILE_PERMISSIONS", 0o640)
        )

    @property
    def directory_permissions_mode(self):  # type: ignore[override]
        return self._value_or_setting(
            self._directory_permissions_mode, getattr(settings, "PORTAL_PRIVATE_DIRECTORY_PERMISSIONS", 0o750)
        )

    def _make_directory(self, directory: str) -> None:
        """Create `directory` and its missing parents with the private folder mode (as `_save` does)."""
        old_umask = os.umask(0o777 & ~self.directory_permissions_mode)
        try:
            os.makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        finally:
            os.umask(old_umask)

    def replace(self, name: str, content: bytes) -> str:
        """Write `name` whole or not at all (a temporary file renamed over it), replacing an earlier version.

        A job killed half-way leaves the earlier file (or nothing) in place, never a truncated PDF, and a job run
        again writes the same name instead of a second copy beside the first.
        """
        path = self.path(name)
        directory = os.path.dirname(path)
        self._make_directory(directory)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, self.file_permissions_mode)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return name


def private_storage() -> PrivateStorage:
    """The private storage, with no public URL of its own (a callable, so migrations record this function)."""
    return PrivateStorage(base_url=None)
