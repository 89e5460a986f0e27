"""Whole `parley serve` processes: restart durability, clean shutdown, limits shared across processes."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import httpx
import psutil
import pytest

from parley.db.embedded import POSTGRES_BIN_PATH
from tests.factories import PASSWORD
from tests.process import ServerProcess

pytestmark = pytest.mark.slow


@pytest.fixture
def server_root():
    """Outside pytest's tmp dirs: pytest resets their parent to mode 0700, which would lock out
    the system user that the embedded Postgres runs as."""
    root = Path(tempfile.mkdtemp(prefix="parley-proc-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _cluster_state(pgdata) -> str:
    out = subprocess.run([str(POSTGRES_BIN_PATH / "pg_controldata"), str(pgdata)], capture_output=True,
                         text=True, check=True).stdout
    return next(line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Database cluster state"))


def test_data_survives_a_restart_and_shutdown_is_clean(server_root):
    data_dir = server_root / "data"
    with ServerProcess(data_dir) as server:
        signup = httpx.post(f"{server.url}/api/v1/auth/signup",
                            json={"email": "durable@example.com", "password": PASSWORD}, timeout=10)
        assert signup.status_code == 201, signup.text
        assert server.stop(signal.SIGTERM) == 0
    assert _cluster_state(data_dir / "pg") == "shut down"
    with ServerProcess(data_dir) as server:
        login = httpx.post(f"{server.url}/api/v1/auth/login",
                           json={"email": "durable@example.com", "password": PASSWORD}, timeout=10)
        assert login.status_code == 200, login.text
        assert server.stop(signal.SIGINT) == 0
    assert _cluster_state(data_dir / "pg") == "shut down"


def test_rate_limit_is_shared_between_two_servers(server_root):
    # An hour-long window, so that the six requests can't straddle a window boundary.
    limits = {"PARLEY_RATE_LIMIT_AUTH": "4/hour"}
    with ServerProcess(server_root / "a", env=limits) as first:
        socket_dir = server_root / "a" / "pg"
        shared_db = {**limits, "DATABASE_URL": f"postgresql://postgres@/parley?host={socket_dir}"}
        with ServerProcess(server_root / "b", env=shared_db) as second:
            statuses = []
            for server in (first, second, first, second, first, second):
                response = httpx.post(f"{server.url}/api/v1/auth/login",
                                      json={"email": "nobody@example.com", "password": "wrong password"}, timeout=10)
                statuses.append(response.status_code)
            assert statuses[:4] == [401, 401, 401, 401]
            assert statuses[4:] == [429, 429]


def test_two_workers_share_the_connections_and_the_port_is_theirs(server_root):
    with ServerProcess(server_root / "data", workers=2) as server:
        # A burst of keep-alive connections, as a load balancer or load test opens them: each worker
        # listens on its own SO_REUSEPORT socket, so both get a share (one shared socket let the
        # first worker to wake take nearly all of them).
        clients = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(24)]
        try:
            for client in clients:
                client.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
            for client in clients:
                assert client.recv(4096).startswith(b"HTTP/1.1 200")
            workers = psutil.Process(server.process.pid).children()
            accepted = [sum(1 for c in worker.net_connections("tcp")
                            if c.laddr.port == server.port and c.status == psutil.CONN_ESTABLISHED)
                        for worker in workers]
            assert sum(accepted) == 24
            assert sorted(accepted)[-2] >= 4, accepted
        finally:
            for client in clients:
                client.close()

        # A second server on the same port is refused, rather than quietly sharing its traffic.
        intruder = ServerProcess(server_root / "other", workers=2, port=server.port)
        assert intruder.process.wait(timeout=60) != 0
        assert "can't listen on" in intruder.log().lower()
        assert not (server_root / "other" / "pg").exists()  # refused before starting a database
        assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
        assert server.stop(signal.SIGTERM) == 0
    assert _cluster_state(server_root / "data" / "pg") == "shut down"
