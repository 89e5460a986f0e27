"""The Runtime that background jobs use: the app's own when jobs run inside `parley serve`,
otherwise one built from the environment on first use (in `parley worker`)."""

from __future__ import annotations

from parley.runtime import Runtime

_current: Runtime | None = None


def set_job_runtime(runtime: Runtime | None) -> None:
    global _current
    _current = runtime


def job_runtime() -> Runtime:
    global _current
    if _current is None:
        from parley.app import build_runtime
        from parley.config import Settings

        _current = build_runtime(Settings())
    return _current
