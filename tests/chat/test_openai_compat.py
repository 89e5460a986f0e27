"""The official `openai` SDK, unchanged, as a client of a Parley bot."""

from __future__ import annotations

import openai
import pytest

from tests.chat.helpers import bot_with_knowledge
from tests.factories import create_api_key


@pytest.fixture
async def sdk(client, runtime, live_server):
    owner, bot = await bot_with_knowledge(client, runtime)
    key = await create_api_key(client, owner)
    sdk = openai.AsyncOpenAI(api_key=key["key"], base_url=f"http://{live_server}/v1", max_retries=0)
    yield sdk, bot
    await sdk.close()


async def test_non_streaming_completion(sdk):
    api, bot = sdk
    completion = await api.chat.completions.create(
        model=bot["id"], messages=[{"role": "user", "content": "How long do I have to ask for a refund?"}])
    assert "30 days" in completion.choices[0].message.content
    assert completion.choices[0].finish_reason == "stop" and completion.usage.total_tokens > 0


async def test_streaming_completion_with_history(sdk):
    api, bot = sdk
    stream = await api.chat.completions.create(model=bot["id"], stream=True, messages=[
        {"role": "system", "content": "ignored: the bot has its own instructions"},
        {"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi! How can I help?"},
        {"role": "user", "content": "Where is your warehouse?"}])
    text, finishes = "", []
    async for chunk in stream:
        text += chunk.choices[0].delta.content or ""
        finishes.append(chunk.choices[0].finish_reason)
    assert "Lyon" in text and finishes[-1] == "stop"


async def test_errors_have_the_openai_shape(sdk, client):
    api, bot = sdk
    with pytest.raises(openai.NotFoundError):
        await api.chat.completions.create(model="00000000-0000-0000-0000-000000000000",
                                          messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(openai.NotFoundError):
        await api.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(openai.BadRequestError) as bad:
        await api.chat.completions.create(model=bot["id"], messages=[])
    assert bad.value.body["type"] == "invalid_request_error"
    with pytest.raises(openai.BadRequestError):
        await api.chat.completions.create(model=bot["id"], messages=[{"role": "assistant", "content": "hi"}])
    raw = await client.post("/v1/chat/completions", content=b"{not json", headers={
        "Authorization": api.api_key and f"Bearer {api.api_key}", "content-type": "application/json"})
    assert raw.status_code == 400 and raw.json()["error"]["type"] == "invalid_request_error"
    bad_key = openai.AsyncOpenAI(api_key="prl_wrong", base_url=str(api.base_url), max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        await bad_key.chat.completions.create(model=bot["id"], messages=[{"role": "user", "content": "hi"}])
