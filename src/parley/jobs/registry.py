"""Importing this module registers every background task."""

from parley.orgs import email_tasks  # noqa: F401
