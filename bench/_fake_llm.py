"""Instant provider fakes for benchmarks, so that only Parley's own overhead is measured.

    python bench/_fake_llm.py --port 9000              # Groq: chat (search, then answer) + Whisper
    python bench/_fake_llm.py --port 9001 --deepgram   # Deepgram Aura
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from starlette.applications import Starlette  # noqa: E402

from tests.fakes.deepgram import FakeDeepgramSpeak  # noqa: E402
from tests.fakes.groq_stt import FakeGroqTranscriptions  # noqa: E402
from tests.fakes.openai_chat import FakeChatCompletions, Reply, ToolCall  # noqa: E402

ANSWER = "Parcels leave our warehouse in Lyon within two business days [1]. Shipping is free over 50 euros [1]."


def respond(body: dict):
    messages = body.get("messages", [])
    tools = {t["function"]["name"] for t in body.get("tools", [])}
    if "search_knowledge_base" in tools and not any(m.get("role") == "tool" for m in messages):
        question = next(m["content"] for m in reversed(messages) if m.get("role") == "user")
        return Reply(tool_calls=[ToolCall("search_knowledge_base", {"query": question})])
    return Reply(ANSWER)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--deepgram", action="store_true")
    args = parser.parse_args()
    if args.deepgram:
        app = FakeDeepgramSpeak(api_key="dg_bench").app
    else:
        chat = FakeChatCompletions(record=False, responder=respond)
        stt = FakeGroqTranscriptions(api_key="gsk_bench", default_text="Where is your warehouse?")
        app = Starlette(routes=[*chat.app.routes, *stt.app.routes])
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", loop="uvloop", http="httptools")
