from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from alembic import command

from parley.db import migrate
from parley.db.embedded import EmbeddedPostgres


@pytest.fixture(scope="module")
def scratch_database(postgres: EmbeddedPostgres):
    postgres.create_database("migration_check")
    yield postgres.url_for("migration_check")
    postgres.drop_database("migration_check")


def test_models_match_migrations_and_downgrade_round_trips(scratch_database):
    config = migrate.alembic_config(scratch_database)
    migrate.upgrade(scratch_database)
    command.check(config)  # raises if the models drifted from the migrations
    command.downgrade(config, "base")
    migrate.upgrade(scratch_database)
    assert migrate.current_revision(scratch_database) == migrate.head_revision()


def test_embedded_postgres_has_pgvector(postgres: EmbeddedPostgres):
    out = postgres._psql("SELECT default_version FROM pg_available_extensions WHERE name = 'vector'")
    assert out.strip().startswith("0.8")


def test_socket_dir_falls_back_when_the_path_is_too_long():
    root = Path(tempfile.mkdtemp())
    try:
        deep = root / ("x" * 60) / ("y" * 60)
        server = EmbeddedPostgres(deep)
        assert len(str(server.socket_dir / ".s.PGSQL.5432")) < 100
    finally:
        shutil.rmtree(root, ignore_errors=True)
