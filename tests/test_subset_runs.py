"""A subset of the suite runs like the whole suite, even where the configured database does not exist.

`make test PYTEST_ARGS="tests/elections/test_tally.py"` collects only tests without database access: pytest-django
then creates no test database, and the session fixture of tests/conftest.py must not read (or flush) the database
the settings name.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent


def test_a_subset_without_database_tests_passes_when_the_configured_database_does_not_exist(settings):
    configured = settings.DATABASES["default"]
    missing = f"portal_missing_{uuid.uuid4().hex[:8]}"
    url = f"postgres://{configured['USER']}@{configured['HOST']}:{configured['PORT']}/{missing}"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "tests/elections/test_tally.py"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and "error" not in result.stdout.lower()
    with psycopg.connect(
        host=configured["HOST"], port=configured["PORT"], user=configured["USER"], dbname="postgres"
    ) as connection:
        names = {row[0] for row in connection.execute("SELECT datname FROM pg_database")}
    assert missing not in names and f"test_{missing}" not in names
