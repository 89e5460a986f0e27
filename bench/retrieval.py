"""Retrieval quality on BEIR SciFact through the product's own indexing and search code.

    .venv/bin/python bench/retrieval.py --data ../shared/evaldata/scifact --split train [--workdir DIR]

Prints one line per method (lexical, dense, hybrid) with nDCG@10 and recall@100. Judgments come
from qrels/<split>.tsv under --data. With --weights it also prints hybrid at several dense
weights (tune on train only). --workdir keeps the indexed corpus between runs.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))
from _scifact import ensure_bot, load_corpus, load_queries, ndcg_at_10, recall_at, start_database  # noqa: E402

from parley.config import Settings  # noqa: E402
from parley.kit.db import Database  # noqa: E402
from parley.knowledge.indexing import DocumentInput, index_documents  # noqa: E402
from parley.knowledge.models import Source  # noqa: E402
from parley.knowledge.parsing import parse_text  # noqa: E402
from parley.knowledge.search import CANDIDATES, DENSE_WEIGHT, EXACT_SCAN_MAX_CHUNKS, SearchRepository, fuse  # noqa: E402
from parley.providers.embeddings import build_embedder  # noqa: E402


async def index_corpus(db: Database, embedder, corpus: dict[str, dict]) -> tuple:
    async with db.session() as session:
        org_id, bot_id = await ensure_bot(session, "scifact", embedder)
        source = await session.scalar(text("SELECT id FROM sources WHERE bot_id = :b"), {"b": bot_id})
        if source is None:
            source_row = Source(org_id=org_id, bot_id=bot_id, kind="text", name="SciFact", config={}, status="ready")
            session.add(source_row)
            await session.flush()
            source = source_row.id
    settings = Settings()  # the product's chunking (PARLEY_CHUNK_MAX_TOKENS, _OVERLAP_TOKENS)
    started = time.perf_counter()
    items = list(corpus.values())
    for start in range(0, len(items), 64):
        docs = [DocumentInput(external_id=row["_id"], title=row["title"], kind="text",
                              parsed=parse_text(f"{row['title']}\n\n{row['text']}", row["title"]))
                for row in items[start:start + 64]]
        async with db.session() as session:
            source_row = await session.get(Source, source)
            await index_documents(session, embedder, source_row, docs, max_tokens=settings.chunk_max_tokens,
                                  overlap_tokens=settings.chunk_overlap_tokens)
    return org_id, bot_id, time.perf_counter() - started


async def run(args: argparse.Namespace) -> None:
    data = Path(args.data)
    corpus = load_corpus(data)
    queries, qrels = load_queries(data, args.split)
    server = start_database(Path(args.workdir) if args.workdir else None)
    db = Database(server.url)
    embedder = build_embedder("local", cache_dir=Path(args.workdir or "/tmp") / "models")
    try:
        org_id, bot_id, seconds = await index_corpus(db, embedder, corpus)
        print(f"indexed {len(corpus)} documents in {seconds:.1f} s (unchanged documents are skipped)")
        async with db.session() as session:
            chunk_doc = dict((await session.execute(text(
                "SELECT c.id, d.external_id FROM chunks c JOIN documents d ON d.id = c.document_id "
                "WHERE c.bot_id = :b"), {"b": bot_id})).all())
        ids = list(queries)
        vectors = await embedder.embed_documents([queries[q] for q in ids])
        lexical_runs, dense_runs = {}, {}
        started = time.perf_counter()
        async with db.session() as session:
            repo = SearchRepository(session, org_id=org_id, bot_id=bot_id)
            n, avgdl = await repo.stats()
            for qid, vector in zip(ids, vectors, strict=True):
                lexical_runs[qid] = await repo.lexical(queries[qid], limit=CANDIDATES, n=n, avgdl=avgdl)
                dense_runs[qid] = await repo.dense(vector, limit=CANDIDATES, exact=n <= EXACT_SCAN_MAX_CHUNKS)
        per_query_ms = (time.perf_counter() - started) / len(ids) * 1000
        print(f"{len(ids)} {args.split} queries, {n} chunks, {per_query_ms:.1f} ms per query for both rankers")

        def evaluate(label: str, runs: dict[str, dict[int, float]]) -> None:
            ndcg = recall = 0.0
            for qid, scores in runs.items():
                ranked = []
                for chunk_id in sorted(scores, key=scores.__getitem__, reverse=True):
                    doc = chunk_doc[chunk_id]
                    if doc not in ranked:
                        ranked.append(doc)
                ndcg += ndcg_at_10(ranked, qrels[qid])
                recall += recall_at(ranked, qrels[qid], 100)
            print(f"{label} {ndcg / len(runs):.4f} nDCG@10   recall@100 {recall / len(runs):.4f}")

        evaluate("lexical", lexical_runs)
        evaluate("dense", dense_runs)
        evaluate("hybrid", {q: fuse(lexical_runs[q], dense_runs[q], DENSE_WEIGHT) for q in ids})
        for weight in args.weights:
            evaluate(f"hybrid(w={weight})", {q: fuse(lexical_runs[q], dense_runs[q], weight) for q in ids})
    finally:
        await db.dispose()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--split", default="train")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--weights", type=lambda s: [float(x) for x in s.split(",")], default=[])
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
