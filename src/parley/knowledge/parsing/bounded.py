"""Parse in a child process with a time and memory limit, so one bad file never stalls ingestion.

Children come from a fork server that has already imported and warmed up the parsers: each
file costs a fork (about 8 ms measured on a 2-core machine), not a fresh interpreter.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import multiprocessing.forkserver
import resource
import sys
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from pathlib import Path

from .document import DEFAULT_LIMITS, ParsedDocument, ParseError, ParseLimits
from .parse import parse_file

# Imported once in the fork server, so children start with the parsers loaded and warmed up.
_PRELOAD = ["parley.knowledge.parsing.warm"]
_STARTING = threading.Lock()


@functools.cache
def _context() -> ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, ForkServerContext)
    context.set_forkserver_preload(_PRELOAD)
    return context


def warm_up() -> None:
    """Start the fork server now, in the background, rather than on the first file (~1 s).

    Call it once when a worker starts. If something else in the process started the fork server
    first without our preload, each child imports the parsers itself: ~0.5 s more per file.
    """
    _context()
    multiprocessing.forkserver.ensure_running()


IN_PROCESS_KINDS = frozenset({"text", "csv"})
IN_PROCESS_MAX_BYTES = 1024 * 1024


def parse_file_bounded(
    path: Path,
    kind: str,
    *,
    timeout_s: float = 60,
    max_memory_mb: int = 1024,
    filename: str | None = None,
    limits: ParseLimits = DEFAULT_LIMITS,
) -> ParsedDocument:
    """parse_file in a child process; a timeout or memory exhaustion becomes a ParseError.

    Small plain-text and CSV files are read in this process: their readers are linear-time, and at
    this size a child process (~7 ms each) would buy no safety.

    Blocking: from async code, call it through asyncio.to_thread.
    """
    if kind in IN_PROCESS_KINDS and path.stat().st_size <= IN_PROCESS_MAX_BYTES:
        return parse_file(path, kind, filename=filename, limits=limits)
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_parse_in_child,
        args=(sender, str(path), kind, filename, limits, max_memory_mb, timeout_s),
        daemon=True,
    )
    with _main_script_hidden():
        child.start()
    sender.close()  # only the child writes; EOF then tells us it is gone
    try:
        if not receiver.poll(timeout_s):
            raise ParseError(f"Reading this document took longer than {timeout_s:g} seconds")
        try:
            status, payload = receiver.recv()
        except EOFError:
            child.join(5)
            raise ParseError(_death_reason(child.exitcode, max_memory_mb)) from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
        child.close()
    if status == "error":
        raise ParseError(payload)
    return payload


@contextlib.contextmanager
def _main_script_hidden() -> Iterator[None]:
    """Keep the child from re-running the main script.

    multiprocessing re-executes a main *script* (not a `python -m` module) in every forkserver
    child; for a console script such as `parley` or `pytest` that is a full app import per file
    (~0.3 s measured with pytest). The child only needs this package, which the fork server has
    already imported. (Preloading "__main__" would be the documented cure, but it is ignored
    before Python 3.13.) The lock keeps concurrent callers from restoring each other's state.
    """
    main = sys.modules.get("__main__")
    with _STARTING:
        script = main.__dict__.pop("__file__", None) if main is not None else None
        try:
            yield
        finally:
            if script is not None:
                main.__file__ = script  # type: ignore[union-attr]


def _death_reason(exit_code: int | None, max_memory_mb: int) -> str:
    return (
        f"The document could not be read: it needs more than {max_memory_mb} MB of memory "
        f"or crashed the reader (exit code {exit_code})"
    )


def _parse_in_child(
    sender: Connection,
    path: str,
    kind: str,
    filename: str | None,
    limits: ParseLimits,
    max_memory_mb: int,
    timeout_s: float,
) -> None:
    memory = max_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # A CPU-time backstop in case the parent died and nobody is left to kill us on time.
    cpu = int(timeout_s) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    result: tuple[str, object]
    try:
        result = ("ok", parse_file(Path(path), kind, filename=filename, limits=limits))
    except ParseError as error:
        result = ("error", error.reason)
    except MemoryError:
        result = ("error", f"The document needs more than {max_memory_mb} MB of memory to read")
    except RecursionError:
        result = ("error", "The document is nested too deeply to read")
    except Exception as error:  # noqa: BLE001 -- a parser bug must still produce an answer, not a hung job
        result = ("error", f"The document could not be read ({type(error).__name__})")
    try:
        sender.send(result)
    except MemoryError:
        sender.send(("error", f"The document needs more than {max_memory_mb} MB of memory to read"))
    finally:
        sender.close()
