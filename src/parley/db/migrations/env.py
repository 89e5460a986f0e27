from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from parley.db.migrate import sync_url
from parley.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    url = config.attributes.get("database_url")
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True,
                      transaction_per_migration=True)
    with context.begin_transaction():
        # One migration at a time, even when several processes start together.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7265716)")
        context.run_migrations()


run_migrations()
