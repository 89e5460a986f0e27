"""Database bootstrap: the embedded Postgres and Alembic migrations."""
