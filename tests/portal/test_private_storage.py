"""The one private storage: files 0640 and folders 0750 whatever the umask, under PRIVATE_MEDIA_ROOT only."""

from __future__ import annotations

import os
import stat

import pytest
from django.core.files.base import ContentFile

from portal.notifications.services import Audience, notification_send
from portal.storage import private_storage

from . import notifications_factories as f


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    old = os.umask(0o022)  # the usual umask: without explicit modes, files would be world-readable (0644)
    try:
        yield settings.PRIVATE_MEDIA_ROOT
    finally:
        os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_saved_files_are_readable_by_owner_and_group_only(private_root):
    storage = private_storage()
    name = storage.save("projectcall/attachments/1/budget.pdf", ContentFile(b"%PDF-1.4 budget"))
    path = private_root / name
    assert _mode(path) == 0o640
    assert _mode(path.parent) == 0o750
    assert _mode(path.parent.parent) == 0o750
    assert _mode(private_root) == 0o750


def test_replaced_files_keep_the_private_modes(private_root):
    storage = private_storage()
    storage.replace("notifications/letters/batch-1-letters.pdf", b"%PDF-1.4 first")
    storage.replace("notifications/letters/batch-1-letters.pdf", b"%PDF-1.4 second")
    path = private_root / "notifications" / "letters" / "batch-1-letters.pdf"
    assert path.read_bytes() == b"%PDF-1.4 second"
    assert _mode(path) == 0o640
    assert _mode(path.parent) == 0o750
    assert [p.name for p in path.parent.iterdir()] == ["batch-1-letters.pdf"]


def test_modes_are_settings(private_root, settings):
    settings.PORTAL_PRIVATE_FILE_PERMISSIONS = 0o600
    settings.PORTAL_PRIVATE_DIRECTORY_PERMISSIONS = 0o700
    name = private_storage().save("elections/candidates/photo.jpg", ContentFile(b"jpeg"))
    assert _mode(private_root / name) == 0o600
    assert _mode((private_root / name).parent) == 0o700


@pytest.mark.django_db
def test_letters_and_notices_written_by_the_worker_are_private(private_root, run_tasks, settings):
    h = f.household()
    with run_tasks():
        batch = notification_send(
            audience=Audience(households=[h]), message="portal/test_message", hall_notices=True
        )
    batch.refresh_from_db()
    for field in (batch.letters_pdf, batch.notices_pdf):
        assert field.path.startswith(str(private_root))
        assert not field.path.startswith(str(settings.MEDIA_ROOT))
        assert _mode(field.path) == 0o640
        assert _mode(os.path.dirname(field.path)) == 0o750
