"""API throughput and latency, and cold-start time of `parley serve`.

Starts `parley serve --workers 2` on a fresh embedded database and loads it from this process
over loopback with 64 keep-alive connections.

    .venv/bin/python bench/api.py [--seconds 10] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
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


# wrk's own summary stops at p50/p75/p90/p99; its Lua hook reports any percentile.
_WRK_PERCENTILES = """
done = function(summary, latency, requests)
  for _, p in pairs({50, 95, 99}) do
    io.write(string.format("p%d %.2f\\n", p, latency:percentile(p) / 1000))
  end
end
"""


def wrk(url: str, headers: dict[str, str], concurrency: int, seconds: float) -> str:
    flags = [f"-H{k}: {v}" for k, v in headers.items()]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_WRK_PERCENTILES)
        script.flush()
        out = subprocess.run(["wrk", "-t1", f"-c{concurrency}", f"-d{int(seconds)}s", "-s", script.name, *flags,
                              url], capture_output=True, text=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    ms = dict(re.findall(r"^(p\d+) ([\d.]+)$", out, re.M))
    if not rate or len(ms) < 3:
        return out
    return (f"GET {url.split('/', 3)[-1]:<20} c={concurrency} (wrk)  {float(rate.group(1)):8.0f} req/s   "
            f"p50 {ms['p50']} ms   p95 {ms['p95']} ms   p99 {ms['p99']} ms")


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
            for path, headers in (("/healthz", {}), ("/api/v1/me", auth)):
                url = f"{server.url}{path}"
                if shutil.which("wrk"):  # lighter than any Python client: more of the 2 cores for the server
                    print(wrk(url, headers, args.concurrency, args.seconds))
                else:
                    result = asyncio.run(run_load(url, concurrency=args.concurrency, seconds=args.seconds,
                                                  headers=headers))
                    print(result.line(f"GET {path} c={args.concurrency}"))
        finally:
            server.stop()


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    main()
