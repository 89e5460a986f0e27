"""Realtime sessions keep the visitor's utterance and the answer they heard, only when the bot asks."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import websockets
from sqlalchemy import func, select

from parley.voice.models import VoiceRecording, VoiceSession
from tests.voice.test_realtime import frames, question_pcm16k, realtime_url, receive_until  # noqa: F401
from tests.voice.test_recordings import keep_recordings

pytestmark = pytest.mark.slow


async def talk_and_hang_up(url: str, question) -> str:
    async with websockets.connect(url) as socket:
        await socket.recv()
        for frame in frames(question):
            await socket.send(frame)
        events, _ = await receive_until(socket, "audio_end")
    return next(e for e in events if e["type"] == "start")["conversation_id"]


async def wait_until_closed(runtime, bot_id: str) -> int:
    """The session row is written last, after the recordings: then count the recordings."""
    for _ in range(200):
        async with runtime.db.session() as db:
            ended = await db.scalar(select(VoiceSession.id).where(VoiceSession.bot_id == uuid.UUID(bot_id),
                                                                   VoiceSession.ended_at.is_not(None)))
            if ended is not None:
                return await db.scalar(select(func.count()).select_from(VoiceRecording))
        await asyncio.sleep(0.05)
    raise AssertionError("the realtime session never closed")


@pytest.mark.parametrize("keep", [True, False], ids=["kept", "off"])
async def test_recordings_of_a_realtime_turn(realtime_url, question_pcm16k, client, runtime, keep):  # noqa: F811
    url, owner, bot = realtime_url
    if keep:
        await keep_recordings(client, owner, bot)
    conversation_id = await talk_and_hang_up(url, question_pcm16k)
    assert await wait_until_closed(runtime, bot["id"]) == (2 if keep else 0)
    listed = (await client.get(f"/api/v1/conversations/{conversation_id}/recordings", headers=owner.headers)).json()
    if not keep:
        assert listed == {"recordings": []}
        return
    visitor, answer = listed["recordings"]
    assert (visitor["speaker"], answer["speaker"]) == ("visitor", "bot")
    assert 1.0 < visitor["duration_s"] < 3.0 and answer["duration_s"] > 1.0
    audio = await client.get(f"/api/v1/conversations/{conversation_id}/recordings/{answer['id']}",
                             headers=owner.headers)
    assert audio.status_code == 200 and audio.headers["content-type"].startswith("audio/ogg")
