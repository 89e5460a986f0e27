"""API throughput and latency, and cold-start time of `parley serve`.

Starts `parley serve --workers 2` on a fresh embedded database and loads it from this process
over loopback with 64 keep-alive connections.

    .venv/bin/python bench/api.py [--seconds 10] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from _load import run_load  # noqa: E402
from _server import Server  # noqa: E402


def cold_start(root: Path) -> tuple[float, float]:
    data_dir = root / "coldstart"
    first = Server(data_dir)
    first_s = first.wait_ready()
    first.stop()
    second = Server(data_dir)
    second_s = second.wait_ready()
    second.stop()
    return first_s, second_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="parley-bench-") as tmp:
        root = Path(tmp)
        first_s, second_s = cold_start(root)
        print(f"cold start, first run (initdb + migrations): {first_s:.2f} s to green /readyz")
        print(f"cold start, later run:                       {second_s:.2f} s to green /readyz")

        # The default API limit would (correctly) throttle a load test from one account.
        server = Server(root / "load", workers=args.workers, env={"PARLEY_RATE_LIMIT_API": "100000000/minute"})
        try:
            server.wait_ready()
            signup = httpx.post(f"{server.url}/api/v1/auth/signup", timeout=10, json={
                "email": "bench@example.com", "password": "correct horse battery staple", "name": "Bench"}).json()
            auth = {"Authorization": f"Bearer {signup['access_token']}"}
            health = asyncio.run(run_load(f"{server.url}/healthz", concurrency=args.concurrency,
                                          seconds=args.seconds))
            print(health.line(f"GET /healthz c={args.concurrency}"))
            me = asyncio.run(run_load(f"{server.url}/api/v1/me", concurrency=args.concurrency,
                                      seconds=args.seconds, headers=auth))
            print(me.line(f"GET /api/v1/me c={args.concurrency}"))
        finally:
            server.stop()


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    main()
