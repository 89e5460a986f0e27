"""Test harness: one embedded Postgres per xdist worker, migrated once; every test in a rolled-back transaction."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from parley.app import build_runtime, create_app
from parley.config import Settings
from parley.db import migrate
from parley.db.embedded import EmbeddedPostgres
from parley.kit.db import Database
from parley.kit.ratelimit import RateLimiter
from parley.runtime import Runtime

# Durability buys nothing in tests; these make the embedded server several times faster.
_FAST = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


@pytest.fixture(scope="session")
def postgres() -> AsyncIterator[EmbeddedPostgres]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    root = Path(tempfile.mkdtemp(prefix=f"parley-test-{worker}-"))
    server = EmbeddedPostgres(root / "pg", extra_settings=_FAST)
    server.start()
    migrate.upgrade(server.url)
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def database_url(postgres: EmbeddedPostgres) -> str:
    return postgres.url


@pytest.fixture(scope="session")
async def engine_db(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url, pool_size=5)
    yield db
    await db.dispose()


class TransactionalDatabase(Database):
    """Sessions join one outer transaction, which the test rolls back: nothing leaks between tests."""

    def __init__(self, base: Database, connection: AsyncConnection) -> None:
        self.engine = base.engine
        self.sessionmaker = async_sessionmaker(bind=connection, expire_on_commit=False, autoflush=False,
                                               join_transaction_mode="create_savepoint")
        # One connection can't interleave savepoints from concurrent tasks (in production every
        # session has its own pooled connection): sessions of different tasks take turns.
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task | None = None

    @asynccontextmanager
    async def session(self):
        task = asyncio.current_task()
        if self._holder is task:
            async with super().session() as session:
                yield session
            return
        async with self._lock:
            self._holder = task
            try:
                async with super().session() as session:
                    yield session
            finally:
                self._holder = None

    def reader(self):
        return self.session()  # inside the test's transaction, so it sees (and leaves) nothing else


@pytest.fixture
async def connection(engine_db: Database) -> AsyncIterator[AsyncConnection]:
    async with engine_db.engine.connect() as conn:
        transaction = await conn.begin()
        yield conn
        await transaction.rollback()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(env="test", database_url=database_url, data_dir=tmp_path, secret_key="test-secret-" + "x" * 32,
                    rate_limit_auth="1000/minute", rate_limit_api="100000/minute", run_jobs_in_server=False,
                    _env_file=None)


@pytest.fixture(scope="session")
def embedder():
    """The real offline embedder, loaded once per worker; its converted graph is cached across runs."""
    from parley.providers.embeddings import build_embedder

    return build_embedder("local", cache_dir=Path(tempfile.gettempdir()) / "parley-test-models", threads=1)


@pytest.fixture
def runtime(settings: Settings, engine_db: Database, connection: AsyncConnection, embedder) -> Runtime:
    runtime = build_runtime(settings, db=TransactionalDatabase(engine_db, connection))
    runtime.embedder = embedder
    # Rate-limit counters live outside the test transaction; a fresh namespace keeps tests apart.
    runtime.limiter = RateLimiter(runtime.limiter.store, namespace=uuid.uuid4().hex)
    return runtime


@pytest.fixture
def app(runtime: Runtime):
    application = create_app(runtime=runtime, run_jobs=False)
    application.state.runtime = runtime
    return application


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def session(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    """Direct database access for assertions, inside the test's transaction."""
    async with AsyncSession(bind=connection, join_transaction_mode="create_savepoint",
                            expire_on_commit=False) as db_session:
        yield db_session


@pytest.fixture
async def live_server(app) -> AsyncIterator[str]:
    """The app on a real loopback port, inside the test's event loop (for WebSocket clients)."""
    import asyncio

    import uvicorn

    from tests.fakes.base import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off",
                                           ws="websockets-sansio"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    yield f"127.0.0.1:{port}"
    server.should_exit = True
    await task
