"""Hybrid search latency and filtered vector recall with many tenants, through the product's search code.

    .venv/bin/python bench/search.py --data ../shared/evaldata/scifact [--bots 100] [--chunks-per-bot 1000]

Builds `--bots` bots of `--chunks-per-bot` chunks each (100k by default). Every bot holds real SciFact
chunks whose vectors are perturbed copies of the real ones (near-duplicates, as in a multi-tenant
deployment where many customers upload similar documents), with their own BM25 postings. Prints
p50/p95 of the full hybrid search, and recall@10 of the filtered HNSW scan against an exact scan.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))
from _scifact import ensure_bot, load_corpus, load_queries, start_database  # noqa: E402

from parley.bots.models import Bot  # noqa: E402
from parley.bots.service import new_public_key  # noqa: E402
from parley.kit.db import Database  # noqa: E402
from parley.knowledge.indexing import DocumentInput, index_documents  # noqa: E402
from parley.knowledge.models import Source  # noqa: E402
from parley.knowledge.parsing import parse_text  # noqa: E402
from parley.knowledge.search import EXACT_SCAN_MAX_CHUNKS, SearchRepository, hybrid_search  # noqa: E402
from parley.providers.embeddings import build_embedder  # noqa: E402

NOISE = 0.01  # per-dimension noise on unit vectors: copies stay ~0.9 cosine from their original


async def build_template(db: Database, embedder, corpus: dict, chunks_wanted: int):
    """One bot indexed through the real pipeline: the template every other bot copies."""
    async with db.session() as session:
        org_id, bot_id = await ensure_bot(session, "template", embedder)
        source = Source(org_id=org_id, bot_id=bot_id, kind="text", name="SciFact", config={}, status="ready")
        session.add(source)
        await session.flush()
    rows = list(corpus.values())
    count = 0
    for start in range(0, len(rows), 32):
        docs = [DocumentInput(external_id=r["_id"], title=r["title"], kind="text",
                              parsed=parse_text(f"{r['title']}\n\n{r['text']}", r["title"])) for r in rows[start:start + 32]]
        async with db.session() as session:
            results = await index_documents(session, embedder, await session.get(Source, source.id), docs,
                                            max_tokens=220, overlap_tokens=32)
        count += sum(r.chunks for r in results)
        if count >= chunks_wanted:
            break
    return org_id, bot_id


async def clone_bots(db: Database, template_bot, n_bots: int, per_bot: int) -> list[tuple]:
    bots = []
    async with db.session() as session:
        await session.execute(text("DROP INDEX IF EXISTS ix_chunks_embedding_384"))
    for i in range(n_bots):
        async with db.session() as session:
            template = await session.get(Bot, template_bot)
            bot = Bot(org_id=template.org_id, name=f"tenant-{i}", config={}, public_key=new_public_key(),
                      allowed_origins=[], embedding_model=template.embedding_model, embedding_dim=384)
            session.add(bot)
            await session.flush()
            source = Source(org_id=bot.org_id, bot_id=bot.id, kind="text", name="copy", config={}, status="ready")
            session.add(source)
            await session.flush()
            await session.execute(text("""
                INSERT INTO documents (id, org_id, bot_id, source_id, external_id, title, kind, content_hash, chunk_count,
                                       created_at, updated_at)
                VALUES (gen_random_uuid(), :org, :bot, :source, 'all', 'copy', 'text', '', 0, now(), now())"""),
                {"org": bot.org_id, "bot": bot.id, "source": source.id})
            # Near-duplicates: each tenant's vectors are the template's plus a little noise.
            await session.execute(text("""
                INSERT INTO chunks (org_id, bot_id, document_id, ordinal, text, location, embedding, embedding_dim, tsv,
                                    length)
                SELECT :org, :bot, (SELECT id FROM documents WHERE bot_id = :bot), c.ordinal, c.text, c.location,
                       c.embedding + (SELECT array_agg((random() - 0.5) * 2 * :noise)::vector
                                      FROM generate_series(1, 384) WHERE c.id IS NOT NULL),
                       384, c.tsv, c.length
                FROM chunks c WHERE c.bot_id = :template ORDER BY c.id LIMIT :per_bot"""),
                {"org": bot.org_id, "bot": bot.id, "template": template_bot, "per_bot": per_bot, "noise": NOISE})
            await session.execute(text("""
                INSERT INTO postings (bot_id, term, chunk_id, tf, length)
                SELECT c.bot_id, u.lexeme, c.id, coalesce(array_length(u.positions, 1), 1), c.length
                FROM chunks c, unnest(c.tsv) u WHERE c.bot_id = :bot"""), {"bot": bot.id})
        bots.append((bot.org_id, bot.id))
        if (i + 1) % 10 == 0:
            print(f"  {i + 1} bots created", flush=True)
    return bots


async def ensure_index(db: Database) -> None:
    async with db.session() as session:
        if await session.scalar(text("SELECT to_regclass('ix_chunks_embedding_384')")) is not None:
            return
        started = time.perf_counter()
        await session.execute(text("SET maintenance_work_mem = '512MB'"))
        await session.execute(text(
            "CREATE INDEX ix_chunks_embedding_384 ON chunks USING hnsw ((embedding::vector(384)) vector_cosine_ops) "
            "WHERE embedding_dim = 384"))
        await session.execute(text("ANALYZE chunks"))
        await session.execute(text("ANALYZE postings"))
        print(f"  HNSW index built in {time.perf_counter() - started:.1f} s")


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


async def run(args) -> None:
    data = Path(args.data)
    corpus = load_corpus(data)
    queries, _ = load_queries(data, "train")
    server = start_database(Path(args.workdir) if args.workdir else None)
    db = Database(server.url, pool_size=4)
    embedder = build_embedder("local", cache_dir=Path(args.workdir or "/tmp") / "models")
    try:
        async with db.session() as session:
            existing = await session.scalar(text("SELECT count(*) FROM chunks"))
        if existing < args.bots * args.chunks_per_bot:
            print("building the corpus (once per --workdir)...", flush=True)
            _, template = await build_template(db, embedder, corpus, args.chunks_per_bot)
            await clone_bots(db, template, args.bots, args.chunks_per_bot)
        await ensure_index(db)
        async with db.session() as session:
            bots = (await session.execute(text("SELECT org_id, id FROM bots WHERE name LIKE 'tenant-%'"))).all()
            total = await session.scalar(text("SELECT count(*) FROM chunks"))
        print(f"{total} chunks across {len(bots)} bots")
        texts = random.Random(7).sample(list(queries.values()), args.queries)
        vectors = await embedder.embed_documents(texts)
        rng = random.Random(11)
        latencies, recalls, hnsw_ms, exact_ms = [], [], [], []
        for text_, vector in zip(texts, vectors, strict=True):
            org_id, bot_id = rng.choice(bots)
            async with db.session() as session:
                started = time.perf_counter()
                await hybrid_search(session, org_id=org_id, bot_id=bot_id, query=text_, query_vector=vector, k=10)
                latencies.append(time.perf_counter() - started)
            async with db.session() as session:
                repo = SearchRepository(session, org_id=org_id, bot_id=bot_id)
                started = time.perf_counter()
                exact = await repo.dense(vector, limit=10, exact=True)
                exact_ms.append(time.perf_counter() - started)
            async with db.session() as session:
                repo = SearchRepository(session, org_id=org_id, bot_id=bot_id)
                started = time.perf_counter()
                approx = await repo.dense(vector, limit=10, exact=False)
                hnsw_ms.append(time.perf_counter() - started)
            recalls.append(len(set(exact) & set(approx)) / max(1, len(exact)))
        print(f"hybrid search ({'exact' if args.chunks_per_bot <= EXACT_SCAN_MAX_CHUNKS else 'hnsw'} dense part), "
              f"{len(latencies)} queries: p50 {pct(latencies, 50):.1f} ms  p95 {pct(latencies, 95):.1f} ms")
        print(f"dense exact scan, filtered:     p50 {pct(exact_ms, 50):.1f} ms  p95 {pct(exact_ms, 95):.1f} ms")
        print(f"dense HNSW (iterative), filtered: p50 {pct(hnsw_ms, 50):.1f} ms  p95 {pct(hnsw_ms, 95):.1f} ms  "
              f"recall@10 vs exact {statistics.mean(recalls):.3f} (min {min(recalls):.1f})")
    finally:
        await db.dispose()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--bots", type=int, default=100)
    parser.add_argument("--chunks-per-bot", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--workdir", default=None)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
