"""Chat latency through `parley serve`, with the LLM answered instantly by a local wire-protocol server,
so that only Parley's own overhead is measured (retrieval, agent, storage, streaming).

    .venv/bin/python bench/chat.py [--requests 100] [--concurrency 1,50] [--think 3]
    .venv/bin/python bench/chat.py --questions bench/questions.json   # citation accuracy

Prints time to first token and total time (p50/p95) over SSE and the WebSocket, for a Groq-style bot
(tool call to the knowledge base, then the answer) and the total time of a full extractive answer.

Each client is one conversation. At c>1 it is measured twice: back to back (every client sends its
next message as soon as an answer ends: a saturation test, bound by CPU), and paced like people
(a random pause of 0.5–1.5 × --think seconds between a conversation's messages; visitors arrive
spread over the first --think seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import websockets

sys.path.insert(0, str(Path(__file__).parent))
from _server import Server, free_port  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "tests" / "fixtures" / "docs"
POLICY = ("Refunds are available within 30 days of delivery. Shipping is free for orders over 50 euros. "
          "Our warehouse is in Lyon, France, and parcels leave it within two business days.")
QUESTION = "Where do parcels leave from, and how fast?"
HIGH = "100000000/minute"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


async def setup(url: str, http: httpx.AsyncClient, provider: str, files: list[Path] | None = None) -> dict:
    email = f"bench-{provider}-{time.time_ns()}@example.com"
    account = (await http.post(f"{url}/api/v1/auth/signup", json={"email": email, "password": "correct horse battery staple"})).json()
    auth = {"Authorization": f"Bearer {account['access_token']}"}
    model = {"provider": provider, "model": "llama-3.3-70b" if provider == "groq" else "extractive",
             "fallback_to_extractive": False}
    bot = (await http.post(f"{url}/api/v1/bots", headers=auth, json={"name": provider, "config": {"model": model}})).json()
    if files:
        await http.post(f"{url}/api/v1/bots/{bot['id']}/sources", headers=auth,
                        files=[("files", (f.name, f.read_bytes())) for f in files])
    else:
        await http.post(f"{url}/api/v1/bots/{bot['id']}/sources", headers=auth,
                        json={"type": "text", "name": "Policies", "text": POLICY})
    for _ in range(600):
        sources = (await http.get(f"{url}/api/v1/bots/{bot['id']}/sources", headers=auth)).json()["sources"]
        if all(s["status"] in ("ready", "failed") for s in sources):
            break
        await asyncio.sleep(0.2)
    return {"bot": bot, "auth": auth}


async def sse_turn(http: httpx.AsyncClient, url: str, ctx: dict, question: str,
                   conversation_id: str | None = None) -> tuple[float, float, list]:
    started, first, events = time.perf_counter(), None, []
    body = {"message": question, **({"conversation_id": conversation_id} if conversation_id else {})}
    async with http.stream("POST", f"{url}/api/v1/bots/{ctx['bot']['id']}/chat", headers={
            **ctx["auth"], "Accept": "text/event-stream"}, json=body) as response:
        async for line in response.aiter_lines():
            if line.startswith("data: "):
                event = json.loads(line[6:])
                events.append(event)
                if event["type"] == "token" and first is None:
                    first = time.perf_counter() - started
    return first or float("nan"), time.perf_counter() - started, events


async def pause(think_s: float) -> None:
    if think_s:
        await asyncio.sleep(random.uniform(0.5, 1.5) * think_s)


async def arrive(think_s: float) -> None:
    """Paced visitors arrive spread over one mean pause, as in the steady state (not all at once)."""
    if think_s:
        await asyncio.sleep(random.uniform(0, think_s))


async def ws_turns(url: str, http: httpx.AsyncClient, ctx: dict, n: int, think_s: float = 0) -> list[tuple[float, float]]:
    await arrive(think_s)
    session = (await http.post(f"{url}/api/v1/widget/session", headers={"Origin": url},
                               json={"key": ctx["bot"]["public_key"]})).json()
    results = []
    async with websockets.connect(f"{url.replace('http', 'ws')}/api/v1/widget/ws?token={session['token']}",
                                  origin=url) as socket:
        for i in range(n):
            if i:
                await pause(think_s)
            started, first = time.perf_counter(), None
            await socket.send(json.dumps({"type": "message", "text": QUESTION, "client_id": f"c{i}"}))
            while True:
                event = json.loads(await socket.recv())
                if event["type"] == "token" and first is None:
                    first = time.perf_counter() - started
                if event["type"] in ("done", "error"):
                    break
            results.append((first or float("nan"), time.perf_counter() - started))
    return results


async def measure(url: str, ctx: dict, label: str, requests: int, concurrency: int, think_s: float = 0) -> None:
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=concurrency + 5)) as http:
        per_client = max(1, requests // concurrency)
        sse = await asyncio.gather(*(_conversation(http, url, ctx, per_client, think_s) for _ in range(concurrency)))
        sse = [r for batch in sse for r in batch]
        ws = await asyncio.gather(*(ws_turns(url, http, ctx, per_client, think_s) for _ in range(concurrency)))
        ws = [r for batch in ws for r in batch]
    pacing = f"paced ~{think_s:g} s" if think_s else "back to back"
    for path, results in (("sse", sse), ("ws", ws)):
        ttft, total = [r[0] for r in results], [r[1] for r in results]
        print(f"{label:<10} {path:<4} c={concurrency:<3} {pacing:<13} n={len(results):<4} ttft p50 {pct(ttft, 50):6.1f} ms  "
              f"p95 {pct(ttft, 95):6.1f} ms   total p50 {pct(total, 50):6.1f} ms  p95 {pct(total, 95):6.1f} ms")


async def _conversation(http, url, ctx, n, think_s):
    """One visitor's conversation over SSE: n messages, the later ones in the same conversation."""
    results, conversation_id = [], None
    await arrive(think_s)
    for i in range(n):
        if i:
            await pause(think_s)
        first, total, events = await sse_turn(http, url, ctx, QUESTION, conversation_id)
        conversation_id = next((e["conversation_id"] for e in events if e["type"] == "start"), None)
        results.append((first, total))
    return results


async def accuracy(url: str, questions_file: Path) -> None:
    questions = json.loads(questions_file.read_text())
    async with httpx.AsyncClient(timeout=120) as http:
        ctx = await setup(url, http, "extractive", files=sorted(p for p in DOCS.iterdir() if p.is_file()))
        hits = 0
        for item in questions:
            body = (await http.post(f"{url}/api/v1/bots/{ctx['bot']['id']}/chat", headers=ctx["auth"],
                                    json={"message": item["question"]})).json()
            top = body["citations"][0]["source"] if body.get("citations") else None
            hits += top == item["expected_source"]
            print(f"  {'ok ' if top == item['expected_source'] else 'MISS'} {item['question'][:60]:<60} -> {top}")
    print(f"top citation names the expected source: {hits}/{len(questions)} ({hits / len(questions):.0%})")


async def run(args: argparse.Namespace, url: str) -> None:
    if args.questions:
        await accuracy(url, Path(args.questions))
        return
    async with httpx.AsyncClient(timeout=60) as http:
        groq = await setup(url, http, "groq")
        extractive = await setup(url, http, "extractive")
        for _ in range(5):  # warm-up: models loaded, pools filled
            await sse_turn(http, url, groq, QUESTION)
            await sse_turn(http, url, extractive, QUESTION)
    for concurrency in args.concurrency:
        await measure(url, groq, "groq-fake", args.requests if concurrency > 1 else args.requests // 2, concurrency)
        if concurrency > 1 and args.think:
            await measure(url, groq, "groq-fake", max(args.requests, concurrency * 8), concurrency, args.think)
    async with httpx.AsyncClient(timeout=60) as http:
        totals = [(await sse_turn(http, url, extractive, QUESTION))[1] for _ in range(args.requests // 2)]
    print(f"extractive full answer, c=1: total p50 {pct(totals, 50):6.1f} ms  p95 {pct(totals, 95):6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--concurrency", type=lambda s: [int(x) for x in s.split(",")], default=[1, 50])
    parser.add_argument("--think", type=float, default=3.0,
                        help="mean seconds between a paced conversation's messages (0: skip the paced run)")
    parser.add_argument("--questions")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    llm_port = free_port()
    llm = subprocess.Popen([sys.executable, str(Path(__file__).parent / "_fake_llm.py"), "--port", str(llm_port)])
    with tempfile.TemporaryDirectory(prefix="parley-bench-chat-") as tmp:
        server = Server(Path(tmp) / "data", workers=args.workers, env={
            "PARLEY_GROQ_API_KEY": "gsk_bench", "PARLEY_GROQ_BASE_URL": f"http://127.0.0.1:{llm_port}",
            "PARLEY_RATE_LIMIT_API": HIGH, "PARLEY_RATE_LIMIT_AUTH": HIGH, "PARLEY_RATE_LIMIT_CHAT_BOT": HIGH,
            "PARLEY_RATE_LIMIT_CHAT_VISITOR": HIGH})
        try:
            server.wait_ready()
            asyncio.run(run(args, server.url))
        finally:
            server.stop()
            llm.terminate()


if __name__ == "__main__":
    main()
