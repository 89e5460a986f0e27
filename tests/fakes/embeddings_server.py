"""A local fake of OpenAI's POST /v1/embeddings, for the `openai` SDK to talk to.

Follows the documented wire format: bearer auth, `input` as a string or a
list of strings, `encoding_format` "float" or "base64" (little-endian
float32, which the SDK asks for by default), optional `dimensions`, and
errors as {"error": {"message", "type", "param", "code"}} with the status
codes OpenAI uses (400, 401, 404, 429 with Retry-After, 500).

Vectors are a hashed bag of words, so texts sharing words are close.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field

import numpy as np
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


@dataclass
class FakeEmbeddingsState:
    api_key: str = "sk-test"
    models: dict[str, int] = field(default_factory=lambda: {"fake-embed-small": 64})
    ignore_encoding_format: bool = False  # some compatible servers always answer floats
    fail_next: list[int] = field(default_factory=list)  # statuses to answer before succeeding
    requests: list[dict] = field(default_factory=list)


def fake_vector(text: str, dim: int) -> np.ndarray:
    vector = np.zeros(dim, dtype=np.float32)
    for word in re.findall(r"\w+", text.lower()):
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        vector[int.from_bytes(digest[:4], "little") % dim] += 1.0 if digest[4] & 1 else -1.0
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def error(
    status: int, message: str, type_: str, code: str | None, headers: dict | None = None
) -> JSONResponse:
    body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return JSONResponse(body, status_code=status, headers=headers)


def failure(status: int) -> JSONResponse:
    if status == 429:
        return error(
            429,
            "Rate limit reached for requests. Please try again in 5ms.",
            "requests",
            "rate_limit_exceeded",
            headers={"retry-after-ms": "5", "x-ratelimit-remaining-requests": "0"},
        )
    return error(status, "The server had an error while processing your request.", "server_error", None)


def create_app(state: FakeEmbeddingsState) -> Starlette:
    async def embeddings(request: Request) -> JSONResponse:
        body = await request.json()
        state.requests.append(body)
        if request.headers.get("authorization") != f"Bearer {state.api_key}":
            return error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
        if state.fail_next:
            return failure(state.fail_next.pop(0))
        model = body.get("model")
        if model not in state.models:
            message = f"The model `{model}` does not exist or you do not have access to it."
            return error(404, message, "invalid_request_error", "model_not_found")
        inputs = body.get("input")
        inputs = [inputs] if isinstance(inputs, str) else inputs
        if not inputs or not all(isinstance(t, str) and t for t in inputs):
            return error(
                400, "'$.input' is invalid. Please check the API reference.", "invalid_request_error", None
            )
        dim = int(body.get("dimensions") or state.models[model])
        as_base64 = body.get("encoding_format") == "base64" and not state.ignore_encoding_format
        data = []
        for index, text in enumerate(inputs):
            vector = fake_vector(text, state.models[model])[:dim]
            vector = vector / max(float(np.linalg.norm(vector)), 1e-12)
            encoded = (
                base64.b64encode(vector.astype("<f4").tobytes()).decode() if as_base64 else vector.tolist()
            )
            data.append({"object": "embedding", "index": index, "embedding": encoded})
        tokens = sum(len(text.split()) for text in inputs)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        return JSONResponse({"object": "list", "data": data, "model": model, "usage": usage})

    return Starlette(routes=[Route("/v1/embeddings", embeddings, methods=["POST"])])
