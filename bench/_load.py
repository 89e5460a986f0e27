"""A small HTTP/1.1 keep-alive load generator (asyncio + uvloop), light enough to share 2 cores."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else float("nan")

    def line(self, label: str) -> str:
        return (f"{label:<28} {self.rps:8.0f} req/s   p50 {self.percentile(50):6.1f} ms   "
                f"p95 {self.percentile(95):6.1f} ms   p99 {self.percentile(99):6.1f} ms   "
                f"errors {self.errors}/{self.requests}")


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def _client(url: str, headers: dict[str, str], deadline: float, latencies: list[float],
                  counters: list[int]) -> None:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = (f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n{extra}\r\n").encode()
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            status = await _read_response(reader)
            latencies.append((time.perf_counter() - started) * 1000)
            counters[0] += 1
            if status >= 400:
                counters[1] += 1
    finally:
        writer.close()


async def run_load(url: str, *, concurrency: int, seconds: float, headers: dict[str, str] | None = None,
                   warmup_s: float = 1.0) -> LoadResult:
    if warmup_s:
        await run_load(url, concurrency=concurrency, seconds=warmup_s, headers=headers, warmup_s=0)
    latencies: list[float] = []
    counters = [0, 0]
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_client(url, headers or {}, deadline, latencies, counters) for _ in range(concurrency)))
    return LoadResult(counters[0], counters[1], time.perf_counter() - started, latencies)


def median(values: list[float]) -> float:
    return statistics.median(values)
