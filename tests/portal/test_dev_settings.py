"""`make run` (portal.settings.dev) shows the portal's own error pages; DJANGO_DEBUG=1 shows Django's technical
pages. Uploaded media are served either way."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
missing = client.get("/fr/cette-page-n-existe-pas/")
media = client.get("/media/hello.txt")
print(settings.DEBUG, missing.status_code, "URLconf" in missing.content.decode(),
      "Page introuvable" in missing.content.decode(), media.status_code, b"".join(media.streaming_content or [b""]))
"""


def _run(tmp_path, **env) -> str:
    (tmp_path / "hello.txt").write_text("hello")
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": url,
        "DJANGO_MEDIA_ROOT": str(tmp_path),
        **env,
    }
    if "DJANGO_DEBUG" not in env:
        environment.pop("DJANGO_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


@pytest.mark.django_db
def test_make_run_shows_the_portals_own_404_page_and_serves_media(tmp_path):
    assert _run(tmp_path) == "False 404 False True 200 b'hello'"


@pytest.mark.django_db
def test_django_debug_1_shows_djangos_technical_404_page(tmp_path):
    assert _run(tmp_path, DJANGO_DEBUG="1").startswith("True 404 True False 200")
