"""Rate limits shared by every process: fixed windows in Postgres, or Redis when REDIS_URL is set."""

from __future__ import annotations

import asyncio
import functools
import math
import random
import time
from typing import Protocol

from limits import RateLimitItem, parse
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from parley.kit.errors import RateLimited

_parse_limit = functools.lru_cache(maxsize=128)(parse)  # limits come from settings: a handful of strings

_HIT_SQL = text("""
    INSERT INTO rate_limit_counters (key, window_start, count, expires_at)
    VALUES (:key, :window_start, :hits, to_timestamp(:expires_at))
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + EXCLUDED.count
    RETURNING count
""")
_SWEEP_SQL = text("DELETE FROM rate_limit_counters WHERE expires_at < now()")


class RateLimitStore(Protocol):
    async def hit(self, key: str, item: RateLimitItem) -> float | None:
        """Count one hit; return seconds to wait if the limit is exceeded, else None."""

    async def close(self) -> None: ...


class PostgresRateLimitStore:
    """Small limits (sign-in attempts) are counted exactly, one upsert per hit. Large ones (API
    traffic) are counted in memory and flushed every FLUSH_S, so that a busy API does not pay a
    database round trip per request; processes then see each other's hits FLUSH_S late at most."""

    EXACT_UP_TO = 100
    FLUSH_S = 0.1

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._pending: dict[tuple[str, int, int], int] = {}  # (key, window_start, window) -> unflushed hits
        self._known: dict[tuple[str, int], int] = {}  # (key, window_start) -> total at the last flush
        self._flusher: asyncio.Task | None = None

    async def hit(self, key: str, item: RateLimitItem) -> float | None:
        window = item.get_expiry()
        now = time.time()
        window_start = int(now // window * window)
        if item.amount <= self.EXACT_UP_TO:
            count = await self._add(key, window_start, window, 1)
        else:
            slot = (key, window_start, window)
            self._pending[slot] = self._pending.get(slot, 0) + 1
            count = self._known.get((key, window_start), 0) + self._pending[slot]
            if self._flusher is None or self._flusher.done():
                self._flusher = asyncio.create_task(self._flush_soon())
        if count > item.amount:
            return window_start + window - now
        return None

    async def _add(self, key: str, window_start: int, window: int, hits: int) -> int:
        # Its own short transaction: a hit must count even when the request itself fails.
        async with self.engine.begin() as conn:
            count = await conn.scalar(_HIT_SQL, {"key": key, "window_start": window_start, "hits": hits,
                                                 "expires_at": window_start + window})
            if random.random() < 0.001:
                await conn.execute(_SWEEP_SQL)
        return count

    async def _flush_soon(self) -> None:
        await asyncio.sleep(self.FLUSH_S)
        pending, self._pending = self._pending, {}
        current = int(time.time())
        self._known = {slot: count for slot, count in self._known.items() if slot[1] + 3600 > current}
        for (key, window_start, window), hits in pending.items():
            self._known[(key, window_start)] = await self._add(key, window_start, window, hits)

    async def close(self) -> None:
        if self._flusher is not None:
            await self._flusher


class RedisRateLimitStore:
    def __init__(self, url: str) -> None:
        from limits.aio.storage import storage_from_string
        from limits.aio.strategies import FixedWindowRateLimiter

        self.storage = storage_from_string(f"async+{url}" if not url.startswith("async+") else url)
        self.limiter = FixedWindowRateLimiter(self.storage)

    async def hit(self, key: str, item: RateLimitItem) -> float | None:
        if await self.limiter.hit(item, key):
            return None
        stats = await self.limiter.get_window_stats(item, key)
        return max(0.0, stats.reset_time - time.time())

    async def close(self) -> None:
        return None


class RateLimiter:
    def __init__(self, store: RateLimitStore, *, namespace: str = "rl") -> None:
        self.store = store
        self.namespace = namespace

    async def check(self, scope: str, identity: str, limit: str) -> None:
        item = _parse_limit(limit)
        wait = await self.store.hit(f"{self.namespace}:{scope}:{identity}", item)
        if wait is not None:
            raise RateLimited(math.ceil(wait))
