"""Load SciFact into a bot through the product's own indexing code, on an embedded Postgres."""

from __future__ import annotations

import csv
import gzip
import json
import math
import tempfile
import uuid
from pathlib import Path

from parley.db import migrate
from parley.db.embedded import EmbeddedPostgres


def load_corpus(data: Path) -> dict[str, dict]:
    with gzip.open(data / "corpus.jsonl.gz", "rt") as file:
        return {row["_id"]: row for row in map(json.loads, file)}


def load_queries(data: Path, split: str) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    qrels: dict[str, dict[str, int]] = {}
    with open(data / "qrels" / f"{split}.tsv") as file:
        for row in csv.DictReader(file, delimiter="\t"):
            qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = int(row["score"])
    queries = {}
    with open(data / "queries.jsonl") as file:
        for row in map(json.loads, file):
            if row["_id"] in qrels:
                queries[row["_id"]] = row["text"]
    return queries, qrels


def ndcg_at_10(ranked: list[str], relevant: dict[str, int]) -> float:
    dcg = sum(relevant.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranked[:10]))
    ideal = sum(rel / math.log2(i + 2) for i, rel in enumerate(sorted(relevant.values(), reverse=True)[:10]))
    return dcg / ideal if ideal else 0.0


def recall_at(ranked: list[str], relevant: dict[str, int], k: int = 100) -> float:
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def start_database(workdir: Path | None) -> EmbeddedPostgres:
    root = workdir or Path(tempfile.mkdtemp(prefix="parley-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    server = EmbeddedPostgres(root / "pg", extra_settings={"fsync": "off", "synchronous_commit": "off"})
    server.start()
    migrate.upgrade(server.url)
    return server


async def ensure_bot(session, name: str, embedder) -> tuple[uuid.UUID, uuid.UUID]:
    """An organization with one bot, created directly (a benchmark has no signed-in user)."""
    from sqlalchemy import select

    from parley.bots.models import Bot
    from parley.bots.service import new_public_key
    from parley.orgs.models import Organization

    bot = await session.scalar(select(Bot).where(Bot.name == name))
    if bot is None:
        org = Organization(name=f"{name} org")
        session.add(org)
        await session.flush()
        bot = Bot(org_id=org.id, name=name, config={}, public_key=new_public_key(), allowed_origins=[],
                  embedding_model=embedder.name, embedding_dim=embedder.dim)
        session.add(bot)
        await session.flush()
    return bot.org_id, bot.id
