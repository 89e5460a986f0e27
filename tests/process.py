"""Start real `parley serve` processes for tests that need whole servers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.fakes.base import free_port

PARLEY = str(Path(sys.executable).parent / "parley")


class ServerProcess:
    def __init__(self, data_dir: Path, *, env: dict[str, str] | None = None, workers: int = 1,
                 port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Named by data dir too: two servers tried on one port must not write (and truncate) one log.
        self.log_path = data_dir.parent / f"serve-{data_dir.name}-{self.port}.log"
        full_env = {**os.environ, "PARLEY_DATA_DIR": str(data_dir), "PARLEY_LOG_JSON": "true", **(env or {})}
        full_env.pop("DATABASE_URL", None) if "DATABASE_URL" not in (env or {}) else None
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [PARLEY, "serve", "--port", str(self.port), "--workers", str(workers)],
                env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout_s: float = 60) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout_s:
            if self.process.poll() is not None:
                raise RuntimeError(f"parley serve exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"parley serve not ready after {timeout_s}s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM, timeout_s: float = 40) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=timeout_s)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def __enter__(self) -> ServerProcess:
        self.wait_ready()
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.stop()
