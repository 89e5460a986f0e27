"""Rate limits shared by every process: fixed windows in Postgres, or Redis when REDIS_URL is set."""

from __future__ import annotations

import math
import random
import time
from typing import Protocol

from limits import RateLimitItem, parse
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from parley.kit.errors import RateLimited

_HIT_SQL = text("""
    INSERT INTO rate_limit_counters (key, window_start, count, expires_at)
    VALUES (:key, :window_start, 1, to_timestamp(:expires_at))
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + 1
    RETURNING count
""")
_SWEEP_SQL = text("DELETE FROM rate_limit_counters WHERE expires_at < now()")


class RateLimitStore(Protocol):
    async def hit(self, key: str, item: RateLimitItem) -> float | None:
        """Count one hit; return seconds to wait if the limit is exceeded, else None."""

    async def close(self) -> None: ...


class PostgresRateLimitStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def hit(self, key: str, item: RateLimitItem) -> float | None:
        window = item.get_expiry()
        now = time.time()
        window_start = int(now // window * window)
        # Its own short transaction: a hit must count even when the request itself fails.
        async with self.engine.begin() as conn:
            count = await conn.scalar(_HIT_SQL, {"key": key, "window_start": window_start,
                                                 "expires_at": window_start + window})
            if random.random() < 0.001:
                await conn.execute(_SWEEP_SQL)
        if count > item.amount:
            return window_start + window - now
        return None

    async def close(self) -> None:
        return None


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
        item = parse(limit)
        wait = await self.store.hit(f"{self.namespace}:{scope}:{identity}", item)
        if wait is not None:
            raise RateLimited(math.ceil(wait))
