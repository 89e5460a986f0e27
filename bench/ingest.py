"""Ingest the whole SciFact corpus through the real pipeline and print docs/s, chunks/s and peak RSS.

    .venv/bin/python bench/ingest.py --data ../shared/evaldata/scifact [--limit N] [--concurrency 4]

Each abstract becomes a text file; `parley ingest` loads the folder into a fresh bot on a fresh
embedded database (sources, bounded parsing, chunking, embedding, BM25 postings, vectors),
exactly as a user's bulk load would. The converted embedding graph is cached outside the timing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _scifact import ensure_bot, load_corpus, start_database  # noqa: E402

from parley.kit.db import Database  # noqa: E402
from parley.providers.embeddings import build_embedder  # noqa: E402

PARLEY = str(Path(sys.executable).parent / "parley")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    corpus = list(load_corpus(Path(args.data)).values())[: args.limit]
    with tempfile.TemporaryDirectory(prefix="parley-bench-ingest-") as tmp:
        root = Path(tmp)
        files = root / "scifact"
        files.mkdir()
        for row in corpus:
            (files / f"{row['_id']}.txt").write_text(f"{row['title']}\n\n{row['text']}")
        models = Path(tempfile.gettempdir()) / "parley-bench-models"
        asyncio.run(build_embedder("local", cache_dir=models).load())  # conversion is a one-time cost
        server = start_database(root / "db")
        try:
            async def make_bot():
                db = Database(server.url)
                async with db.session() as session:
                    _, bot_id = await ensure_bot(session, "ingest-bench", build_embedder("local", cache_dir=models))
                await db.dispose()
                return bot_id

            bot_id = asyncio.run(make_bot())
            env = {**os.environ, "DATABASE_URL": server.url, "PARLEY_MODELS_DIR": str(models),
                   "PARLEY_LOG_LEVEL": "WARNING", "COLUMNS": "100"}
            started, pg_cpu_before = time.perf_counter(), postgres_cpu_s(root / "db")
            result = subprocess.run([PARLEY, "ingest", "--bot", str(bot_id), "--concurrency", str(args.concurrency),
                                     str(files)], env=env, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            pg_cpu = postgres_cpu_s(root / "db") - pg_cpu_before
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            peak_mb = usage.ru_maxrss / 1024
            if result.returncode != 0:
                print(result.stdout[-2000:], result.stderr[-2000:])
            chunks = sum(int(n) for n in re.findall(r"(\d+) chunks", result.stdout)[-1:]) or 0
        finally:
            server.stop()
    print(f"ingested {len(corpus)} documents, {chunks} chunks in {seconds:.1f} s end to end")
    print(f"{len(corpus) / seconds:.1f} docs/s   {chunks / seconds:.1f} chunks/s   peak RSS {peak_mb:.0f} MB "
          f"(the parley ingest process)")
    # CPU time says where the work is, even when other programs share the machine.
    print(f"CPU: parley ingest {usage.ru_utime + usage.ru_stime:.1f} s, Postgres {pg_cpu:.1f} s")


def postgres_cpu_s(data_dir: Path) -> float:
    """CPU seconds used so far by the Postgres server whose data lives under `data_dir`."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    postmaster = next((p for p in Path("/proc").iterdir() if p.name.isdigit() and _cmdline_has(p, str(data_dir))), None)
    if postmaster is None:
        return 0.0
    for proc in Path("/proc").iterdir():
        try:
            stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if proc == postmaster or stat[1] == postmaster.name:  # the postmaster or one of its backends
            total += (int(stat[11]) + int(stat[12]) + int(stat[13]) + int(stat[14])) / tick
    return total


def _cmdline_has(proc: Path, needle: str) -> bool:
    try:
        return needle in (proc / "cmdline").read_bytes().decode(errors="replace") and \
            (proc / "comm").read_text().startswith("postgres")
    except OSError:
        return False


if __name__ == "__main__":
    main()
