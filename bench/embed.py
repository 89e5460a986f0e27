"""Embed a BEIR-style corpus with the local embedder and print speed and memory.

    .venv/bin/python bench/embed.py --data ../shared/evaldata/scifact [--limit N] [--fresh] [--ndcg]

Prints model load/convert time, docs/s, peak RSS and, with --ndcg, dense
nDCG@10 over the qrels found in <data>/qrels/.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gzip
import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from parley.providers.embeddings import LocalEmbedder


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def corpus_file(data: Path, stem: str) -> Path:
    return next(p for p in (data / f"{stem}.jsonl", data / f"{stem}.jsonl.gz") if p.exists())


def ndcg_at_10(ranked: list[list[str]], relevant: list[dict[str, int]]) -> float:
    scores = []
    for docs, rels in zip(ranked, relevant):
        dcg = sum(rels.get(d, 0) / np.log2(i + 2) for i, d in enumerate(docs[:10]))
        ideal = sorted(rels.values(), reverse=True)[:10]
        scores.append(dcg / sum(r / np.log2(i + 2) for i, r in enumerate(ideal)))
    return float(np.mean(scores))


async def evaluate(embedder: LocalEmbedder, data: Path, doc_ids: list[str], doc_vectors: np.ndarray) -> None:
    qrels: dict[str, dict[str, int]] = {}
    for path in sorted((data / "qrels").glob("*.tsv")):
        with path.open() as f:
            for row in csv.DictReader(f, delimiter="\t"):
                qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = int(row["score"])
    known = set(doc_ids)
    queries = [q for q in read_jsonl(corpus_file(data, "queries")) if q["_id"] in qrels]
    queries = [q for q in queries if known & set(qrels[q["_id"]])]
    query_vectors = await embedder.embed_documents([q["text"] for q in queries])
    top = np.argsort(-(query_vectors @ doc_vectors.T), axis=1)[:, :10]
    ranked = [[doc_ids[j] for j in row] for row in top]
    score = ndcg_at_10(ranked, [qrels[q["_id"]] for q in queries])
    print(f"nDCG@10 (dense, {len(queries)} queries): {score:.3f}")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, required=True, help="folder with corpus.jsonl[.gz]")
    parser.add_argument("--limit", type=int, default=None, help="embed only the first N documents")
    parser.add_argument("--cache-dir", type=Path, default=Path(".parley/cache/models"))
    parser.add_argument("--fresh", action="store_true", help="convert into a new temporary cache")
    parser.add_argument("--shipped", action="store_true", help="run the shipped graph, no conversion")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--batch-tokens", type=int, default=4096, help="padded tokens per model run")
    parser.add_argument("--ndcg", action="store_true", help="also score retrieval on the queries/qrels")
    args = parser.parse_args()

    docs = read_jsonl(corpus_file(args.data, "corpus"))[: args.limit]
    texts = [f"{d.get('title', '')} {d['text']}".strip() for d in docs]
    with tempfile.TemporaryDirectory() as tmp:
        embedder = LocalEmbedder(
            cache_dir=Path(tmp) if args.fresh else args.cache_dir,
            threads=args.threads,
            batch_tokens=args.batch_tokens,
            convert_model=not args.shipped,
        )
        await embedder.load()
        print(
            f"model: {embedder.model_path} ({embedder.threads} threads, {args.batch_tokens} tokens a batch)"
        )
        print(f"load (incl. conversion if any): {embedder.load_seconds:.1f} s")
        started, cpu_started = time.perf_counter(), time.process_time()
        vectors = await embedder.embed_documents(texts)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        print(f"embedded {len(texts)} docs in {elapsed:.1f} s: {len(texts) / elapsed:.1f} docs/s")
        # CPU time is steadier than wall time on a shared machine.
        print(f"CPU time: {cpu:.1f} s, {1000 * cpu / len(texts):.1f} ms/doc")
        peak, child = (
            resource.getrusage(who).ru_maxrss / 1024
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        print(f"peak RSS: {peak:.0f} MB (conversion child process: {child:.0f} MB)")
        if args.ndcg:
            await evaluate(embedder, args.data, [d["_id"] for d in docs], vectors)


if __name__ == "__main__":
    asyncio.run(main())
