"""Server-sent events from chat event dicts; errors before the first event stay plain HTTP errors."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

from fastapi.responses import StreamingResponse


def encode(event: dict[str, Any]) -> bytes:
    return f"event: {event['type']}\ndata: {json.dumps(event, default=str)}\n\n".encode()


async def event_stream_response(events: AsyncIterator[dict[str, Any]]) -> StreamingResponse:
    # Pull the first event now: a 404 or 422 raised while preparing the turn becomes a normal
    # JSON error response instead of a broken stream.
    first = await anext(events)

    async def body() -> AsyncIterator[bytes]:
        async with aclosing(events):  # a client that disconnects closes the turn (stored as partial)
            async for event in prepend(first, events):
                yield encode(event)

    return StreamingResponse(body(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def prepend(first: dict[str, Any], events: AsyncIterator[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    yield first
    async for event in events:
        yield event


def wants_stream(accept: str | None, stream_flag: bool) -> bool:
    return stream_flag or "text/event-stream" in (accept or "")
