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


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    # The job queue's tables belong to Procrastinate's own schema, applied in the first migration;
    # the per-dimension vector indexes are written by hand (expression indexes).
    table = getattr(obj, "table", obj)
    if (getattr(table, "name", None) or "").startswith("procrastinate"):
        return False
    return not (type_ == "index" and (name or "").startswith("ix_chunks_embedding_"))


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True,
                      transaction_per_migration=True, include_object=_include_object)
    with context.begin_transaction():
        # One migration at a time, even when several processes start together.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7265716)")
        context.run_migrations()


run_migrations()
