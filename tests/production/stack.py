"""The pieces of the production stack the tests start (tests/production/conftest.py wires them as fixtures):
child processes in their own session, collected static files, the SMTP sink, an HTTP client bound to a loopback
address, the nginx configuration, and the stack object the tests receive."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from functools import cache
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "portal.test"
ORIGIN = f"https://{HOST}"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
STATIC_CACHE = ROOT / ".test-static"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}:\n{tail(log)}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{process.args[0]} did not listen on {port} within {timeout} s:\n{tail(log)}")


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Process:
    """A child process in its own session (so that killing its group takes its children too), logging to a file."""

    def __init__(self, args: list[str], *, env: dict[str, str], log: Path, cwd: Path = ROOT) -> None:
        self.args, self.env, self.log, self.cwd = args, env, log, cwd
        self.popen: subprocess.Popen | None = None

    def start(self) -> Process:
        with open(self.log, "ab") as out:
            self.popen = subprocess.Popen(
                self.args,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.popen is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def kill(self) -> None:
        """SIGKILL to the whole group, as a crash or the OOM killer would; returns once it is gone."""
        self.signal(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait()

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM (a graceful stop, as systemd does), SIGKILL if it lingers. Always kills the group."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout)
        self.kill()  # the group: children that outlived their parent

    def output(self) -> str:
        return tail(self.log, 200)


# --- Static files, collected once per content ------------------------------------------------------------------


def _static_fingerprint() -> str:
    """A hash of every file the static finders see (path, size, modification time) and the locked dependencies."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256((ROOT / "uv.lock").read_bytes())
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def collected_static(env: dict[str, str]) -> Path:
    """`collectstatic` with the production storage (hashed names, compressed copies), kept in `.test-static/` and
    reused while the static files and dependencies are unchanged (it takes some 20 s)."""
    target = STATIC_CACHE / _static_fingerprint()
    if (target / "staticfiles.json").exists():
        return target
    if STATIC_CACHE.exists():
        shutil.rmtree(STATIC_CACHE)
    building = Path(f"{target}.partial")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env={**env, "DJANGO_STATIC_ROOT": str(building)},
        cwd=ROOT,
        check=True,
    )
    building.rename(target)
    return target


# --- The SMTP sink ---------------------------------------------------------------------------------------------


class SmtpSink:
    """aiosmtpd handler keeping every message received (envelope recipients and raw content)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.original_content or b""))
        return "250 OK"

    @property
    def recipients(self) -> list[str]:
        with self.lock:
            return [rcpt for rcpts, _ in self.messages for rcpt in rcpts]

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def wait_for(self, count: int, timeout: float = 30) -> int:
        """Wait until at least `count` messages have arrived; the number received."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return len(self.messages)


# --- The HTTP client -------------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@dataclass
class Client:
    """A visitor at `address` (127.0.0.x), talking to nginx like a browser behind the TLS terminator."""

    port: int
    address: str = "127.0.0.2"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        data: dict | list | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
        )
        sent = {"Host": HOST, "User-Agent": "portal-production-tests"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            sent["Origin"] = ORIGIN
            sent["Referer"] = ORIGIN + path
            if "csrftoken" in self.cookies:
                sent["X-CSRFToken"] = self.cookies["csrftoken"]
            body = urllib.parse.urlencode(data or {}, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for value in raw.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(raw.status, raw.headers, text)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | list | None = None, **kwargs) -> Response:
        return self.request("POST", path, data, **kwargs)

    def login(self, email: str, password: str, language: str = "en") -> Response:
        """Log in through allauth's form; the response of the POST (302 when it succeeded)."""
        self.get(f"/{language}/accounts/login/")
        return self.post(f"/{language}/accounts/login/", {"login": email, "password": password})


@cache
def production_password_hash(password: str) -> str:
    """A hash the production settings can check (the test settings hash with MD5, which production refuses); one
    PBKDF2 computation per password and session."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    return hasher.encode(password, hasher.salt())


def set_production_password(user, password: str) -> None:
    """Give `user` a password that gunicorn under production settings accepts."""
    user.password = production_password_hash(password)
    user.save(update_fields=["password"])


# --- The stack -------------------------------------------------------------------------------------------------


def nginx_conf(prefix: Path, listen: int, upstream: int) -> str:
    user = pwd.getpwuid(os.getuid()).pw_name
    temp = prefix / "temp"
    return f"""
# Stands for the TLS terminator of the README: appends the client to X-Forwarded-For, says the scheme is https.
user {user};
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    client_max_body_size 20m;
    upstream portal {{ server 127.0.0.1:{upstream}; }}
    server {{
        listen 127.0.0.1:{listen};
        server_name {HOST};
        location / {{
            proxy_pass http://portal;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_redirect off;
        }}
    }}
}}
"""


@dataclass
class Redis:
    port: int
    process: Process

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def connection(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port)


@dataclass
class ProductionStack:
    port: int
    env: dict[str, str]
    logs: Path
    smtp: SmtpSink
    redis: Redis
    redis_pages: Redis
    gunicorn: Process
    nginx: Process
    gunicorn_port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, address: str = "127.0.0.2") -> Client:
        return Client(port=self.port, address=address)

    def direct(self, address: str = "127.0.0.2") -> Client:
        """A client that skips nginx and talks to gunicorn itself."""
        return Client(port=self.gunicorn_port, address=address)

    def flush_caches(self) -> None:
        for server in (self.redis, self.redis_pages):
            server.connection().flushall()

    def worker(self, name: str = "worker", *args: str, **env: str) -> Process:
        """`manage.py db_worker` (production settings, the stack's environment plus `env`, extra `args`), not
        started yet."""
        return Process(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay", *args],
            env={**self.env, **env},
            log=self.logs / f"{name}.log",
        )

    def diagnostics(self) -> str:
        parts = []
        for name in ("gunicorn.log", "nginx/error.log"):
            parts.append(f"--- {name}\n{tail(self.logs / name)}")
        return "\n".join(parts)


def start_redis(logs: Path, name: str, *options: str) -> Redis:
    port = free_port()
    process = Process(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            *options,
        ],
        env=dict(os.environ),
        log=logs / f"{name}.log",
    ).start()
    wait_for_port(port, process.popen, process.log)
    return Redis(port=port, process=process)


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for_django(port: int, process: Process, timeout: float = 90) -> None:
    """Until gunicorn answers a request through Django (any status: the app is loaded)."""
    wait_for_port(port, process.popen, process.log, timeout)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = Client(port=port).get("/health/", headers={"X-Forwarded-Proto": "https"})
            if response.status < 500:
                return
        except (OSError, http.client.HTTPException):
            pass
        if not process.running:
            break
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer:\n{process.output()}")
