"""Private file storage: letters and notices name tenants and their addresses, so they are never served as media.

Files are read back only through permission-checked views (`portal.notifications.views.batch_download`).
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    """A storage under settings.PRIVATE_MEDIA_ROOT with no public URL (a callable, so tests can move the root)."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
