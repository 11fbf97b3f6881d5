"""`make demo-reset` (`manage.py demo_reset`): an empty, migrated development database and no uploads left."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from portal import roles

ROOT = Path(__file__).resolve().parents[2]


def test_demo_reset_refuses_any_settings_but_the_development_ones(db):
    with pytest.raises(CommandError, match="only runs with the development settings"):
        call_command("demo_reset", noinput=True)


def test_demo_reset_drops_every_table_deletes_the_uploads_and_migrates_again(tmp_path):
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE leftover (id integer primary key)")
    media = ROOT / ".run" / f"test-media-{os.getpid()}"
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "photo.jpg").write_bytes(b"JPEG")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_MEDIA_ROOT": str(media),
        "PORTAL_PRIVATE_MEDIA_ROOT": str(tmp_path / "outside-the-checkout"),
    }
    (tmp_path / "outside-the-checkout").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "demo_reset", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        groups = {row[0] for row in connection.execute("SELECT name FROM auth_group")}
    assert "leftover" not in tables and "portal_person" in tables
    assert set(roles.ROLE_GROUPS) <= groups  # the role groups created by the migrations are back
    assert not media.exists()
    assert (tmp_path / "outside-the-checkout").exists()  # never deleted outside the checkout
