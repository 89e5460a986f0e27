"""An instant Groq-style LLM for benchmarks: it searches first, then answers, with no delay.

    python bench/_fake_llm.py --port 9000
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
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
    args = parser.parse_args()
    fake = FakeChatCompletions(record=False, responder=respond)
    uvicorn.run(fake.app, host="127.0.0.1", port=args.port, log_level="warning", loop="uvloop", http="httptools")
