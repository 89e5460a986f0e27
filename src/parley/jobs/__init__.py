"""Background jobs on the Postgres queue."""
