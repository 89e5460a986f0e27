"""Hybrid retrieval: BM25 computed in SQL over postings, pgvector cosine search, and weighted fusion.

Postgres' ts_rank is not BM25 and loses about 0.08 nDCG@10 on SciFact, so lexical ranking uses real
BM25 statistics (document frequency, average length) kept per bot. Both rankers are always
filtered to one bot of one organization.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from parley.knowledge.models import vector_text

# Tuned on the SciFact train split (bench/retrieval.py --split train).
BM25_K1 = 1.2
BM25_B = 0.75
DENSE_WEIGHT = 0.5
CANDIDATES = 100
# Below this many chunks an exact scan is both faster and perfectly accurate (bench/search.py).
EXACT_SCAN_MAX_CHUNKS = 5_000
HNSW_EF_SEARCH = 400
INDEXED_DIMS = (384, 768, 1024, 1536)

# LATERAL forces one index range scan of (bot_id, term) per query term: the planner can't
# estimate how rare the terms are and would otherwise scan every posting of the bot.
_BM25_SQL = text("""
WITH terms AS (SELECT DISTINCT lexeme AS term FROM unnest(to_tsvector('english'::regconfig, :query))),
df AS MATERIALIZED (
    SELECT t.term, (SELECT count(*) FROM postings AS c WHERE c.bot_id = :bot_id AND c.term = t.term)::float8 AS df
    FROM terms AS t
)
SELECT p.chunk_id, sum(
    ln(1 + (:n - df.df + 0.5) / (df.df + 0.5))
    * p.tf * (:k1 + 1) / (p.tf + :k1 * (1 - :b + :b * p.length / :avgdl))
) AS score
FROM df CROSS JOIN LATERAL (
    SELECT chunk_id, tf, length FROM postings WHERE bot_id = :bot_id AND term = df.term
) AS p
WHERE df.df > 0
GROUP BY p.chunk_id ORDER BY score DESC LIMIT :limit
""")

_STATS_SQL = text("SELECT count(*), coalesce(avg(length), 0) FROM chunks WHERE bot_id = :bot_id AND org_id = :org_id")

_DETAILS_SQL = text("""
SELECT c.id, c.text, c.location, c.page, c.heading, d.title, d.uri, d.id AS document_id, s.id AS source_id,
       s.name AS source_name, s.kind AS source_kind
FROM chunks AS c JOIN documents AS d ON d.id = c.document_id JOIN sources AS s ON s.id = d.source_id
WHERE c.id = ANY(:ids) AND c.bot_id = :bot_id AND c.org_id = :org_id
""")


def _dense_sql(dim: int, *, exact: bool) -> text:
    # The cast form matches the per-dimension HNSW index; the uncast form can only be an exact scan.
    vector = "embedding" if exact or dim not in INDEXED_DIMS else f"(embedding::vector({dim}))"
    query = "CAST(:query AS vector)" if exact or dim not in INDEXED_DIMS else f"CAST(:query AS vector({dim}))"
    return text(f"""
        SELECT id, 1 - ({vector} <=> {query}) AS similarity FROM chunks
        WHERE bot_id = :bot_id AND org_id = :org_id AND embedding_dim = {dim}
        ORDER BY {vector} <=> {query} LIMIT :limit""")


@dataclass
class Hit:
    chunk_id: int
    text: str
    source: str
    title: str
    location: str
    score: float          # fused rank score, for ordering
    relevance: float      # cosine similarity to the query: how sure we are that it answers it
    source_id: uuid.UUID
    document_id: uuid.UUID
    uri: str | None = None
    page: int | None = None
    heading: str | None = None
    lexical: float | None = None
    dense: float | None = None


def _minmax(scores: dict[int, float]) -> dict[int, float]:
    if not scores:
        return {}
    low, high = min(scores.values()), max(scores.values())
    span = high - low
    return {key: (value - low) / span if span > 0 else 1.0 for key, value in scores.items()}


def fuse(lexical: dict[int, float], dense: dict[int, float], dense_weight: float = DENSE_WEIGHT) -> dict[int, float]:
    """Min-max normalised weighted fusion; beat reciprocal rank fusion on the SciFact train split."""
    lexical_n, dense_n = _minmax(lexical), _minmax(dense)
    return {key: dense_weight * dense_n.get(key, 0.0) + (1 - dense_weight) * lexical_n.get(key, 0.0)
            for key in lexical_n.keys() | dense_n.keys()}


class SearchRepository:
    def __init__(self, session: AsyncSession, *, org_id: uuid.UUID, bot_id: uuid.UUID) -> None:
        self.session = session
        self.params = {"org_id": org_id, "bot_id": bot_id}

    async def stats(self) -> tuple[int, float]:
        count, avg_length = (await self.session.execute(_STATS_SQL, self.params)).one()
        return int(count), float(avg_length)

    async def lexical(self, query: str, *, limit: int, n: int, avgdl: float) -> dict[int, float]:
        if n == 0:
            return {}
        rows = await self.session.execute(_BM25_SQL, {
            **self.params, "query": query, "n": float(n), "avgdl": max(avgdl, 1.0), "k1": BM25_K1, "b": BM25_B,
            "limit": limit})
        return {row.chunk_id: float(row.score) for row in rows}

    async def dense(self, vector: np.ndarray, *, limit: int, exact: bool) -> dict[int, float]:
        dim = int(vector.shape[0])
        if not exact:
            # Filtered HNSW needs iterative scans, or it silently returns too few rows.
            await self.session.execute(text("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), "
                                            "set_config('hnsw.ef_search', :ef, true)"), {"ef": str(HNSW_EF_SEARCH)})
        rows = await self.session.execute(_dense_sql(dim, exact=exact),
                                          {**self.params, "query": vector_text(vector), "limit": limit})
        return {row.id: float(row.similarity) for row in rows}

    async def details(self, ids: list[int]) -> dict[int, dict]:
        rows = await self.session.execute(_DETAILS_SQL, {**self.params, "ids": ids})
        return {row.id: row._asdict() for row in rows}


async def hybrid_search(session: AsyncSession, *, org_id: uuid.UUID, bot_id: uuid.UUID, query: str,
                        query_vector: np.ndarray | None, k: int, mode: str = "hybrid",
                        dense_weight: float = DENSE_WEIGHT) -> list[Hit]:
    """mode: "hybrid", "lexical" or "dense" (the benchmark measures each)."""
    repo = SearchRepository(session, org_id=org_id, bot_id=bot_id)
    n, avgdl = await repo.stats()
    if n == 0:
        return []
    candidates = max(CANDIDATES, k)
    lexical = await repo.lexical(query, limit=candidates, n=n, avgdl=avgdl) if mode != "dense" else {}
    dense = {}
    if mode != "lexical" and query_vector is not None:
        dense = await repo.dense(query_vector, limit=candidates, exact=n <= EXACT_SCAN_MAX_CHUNKS)
    if mode == "lexical":
        ranked = lexical
    elif mode == "dense":
        ranked = dense
    else:
        ranked = fuse(lexical, dense, dense_weight)
    top = sorted(ranked, key=ranked.__getitem__, reverse=True)[:k]
    if not top:
        return []
    missing = [chunk_id for chunk_id in top if chunk_id not in dense]
    if missing and query_vector is not None and mode != "lexical":
        dense.update(await _similarities(session, repo, query_vector, missing))
    details = await repo.details(top)
    hits = []
    for chunk_id in top:
        row = details.get(chunk_id)
        if row is None:
            continue
        hits.append(Hit(
            chunk_id=chunk_id, text=row["text"], source=row["source_name"], title=row["title"],
            location=row["location"], score=round(ranked[chunk_id], 6), relevance=round(dense.get(chunk_id, 0.0), 6),
            source_id=row["source_id"], document_id=row["document_id"], uri=row["uri"], page=row["page"],
            heading=row["heading"], lexical=lexical.get(chunk_id), dense=dense.get(chunk_id)))
    return hits


async def _similarities(session: AsyncSession, repo: SearchRepository, vector: np.ndarray,
                        ids: list[int]) -> dict[int, float]:
    """Cosine similarity for lexical-only hits, so every hit has a comparable relevance."""
    rows = await session.execute(text(
        "SELECT id, 1 - (embedding <=> CAST(:query AS vector)) AS similarity FROM chunks "
        "WHERE id = ANY(:ids) AND bot_id = :bot_id AND org_id = :org_id"),
        {**repo.params, "query": vector_text(vector), "ids": ids})
    return {row.id: float(row.similarity) for row in rows}
