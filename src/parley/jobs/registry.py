"""Importing this module registers every background task."""

from parley.jobs import maintenance  # noqa: F401
from parley.knowledge import tasks as knowledge_tasks  # noqa: F401
from parley.orgs import email_tasks  # noqa: F401
from parley.voice import tasks as voice_tasks  # noqa: F401
