"""Realtime voice over the WebSocket: a real spoken question in, transcript and audio out, barge-in."""

from __future__ import annotations

import asyncio
import json

import numpy as np
import pytest
import websockets

from parley.providers.tts.piper_local import PiperSynthesizer
from parley.voice.audio import resample
from tests.chat.helpers import bot_with_knowledge
from tests.factories import create_api_key

pytestmark = pytest.mark.slow
FRAME = 512  # 32 ms at 16 kHz: real-time-sized frames


@pytest.fixture(scope="module")
async def question_pcm16k() -> np.ndarray:
    piper = PiperSynthesizer()
    try:
        pcm = b"".join([c.pcm async for c in piper.stream("Where is your warehouse?")])
        audio = np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768
        return resample(audio, piper.sample_rate, 16_000)
    finally:
        await piper.aclose()


def frames(audio: np.ndarray, silence_s: float = 1.2):
    padded = np.concatenate([np.zeros(4000, np.float32), audio, np.zeros(int(16_000 * silence_s), np.float32)])
    pcm16 = (np.clip(padded, -1, 1) * 32767).astype("<i2").tobytes()
    return [pcm16[i:i + FRAME * 2] for i in range(0, len(pcm16), FRAME * 2)]


async def receive_until(socket, stop: str, timeout: float = 60):
    events, audio = [], []
    async with asyncio.timeout(timeout):
        while True:
            message = await socket.recv()
            if isinstance(message, bytes):
                audio.append(message)
                events.append({"type": "<audio>"})
                continue
            event = json.loads(message)
            events.append(event)
            if event["type"] in (stop, "error"):
                return events, audio


async def ask_until_the_bot_talks(socket, question: np.ndarray) -> None:
    await socket.recv()  # ready
    for frame in frames(question):
        await socket.send(frame)
    while not isinstance(await socket.recv(), bytes):
        pass


@pytest.fixture
async def realtime_url(client, runtime, live_server):
    owner, bot = await bot_with_knowledge(client, runtime)
    key = await create_api_key(client, owner)
    yield f"ws://{live_server}/api/v1/bots/{bot['id']}/voice/realtime?token={key['key']}", owner, bot
    await runtime.voice.aclose()


async def test_spoken_question_gets_transcript_text_and_audio(realtime_url, question_pcm16k, client):
    url, owner, bot = realtime_url
    async with websockets.connect(url) as socket:
        ready = json.loads(await socket.recv())
        assert ready["type"] == "ready" and ready["input"]["sample_rate"] == 16_000
        for frame in frames(question_pcm16k):
            await socket.send(frame)
        events, audio = await receive_until(socket, "audio_end")
    types = [e["type"] for e in events]
    transcript = next(e for e in events if e["type"] == "transcript")
    assert "warehouse" in transcript["text"].lower()
    assert "Lyon" in "".join(e.get("text", "") for e in events if e["type"] == "token")
    assert audio and sum(len(a) for a in audio) > ready["output"]["sample_rate"] * 2 * 0.5
    assert types.index("speech_started") < types.index("transcript") < types.index("<audio>")
    conversations = (await client.get(f"/api/v1/bots/{bot['id']}/conversations", headers=owner.headers)).json()
    assert conversations["conversations"][0]["channel"] == "voice"


async def test_barge_in_stops_the_audio(realtime_url, question_pcm16k, client):
    url, owner, bot = realtime_url
    async with websockets.connect(url) as socket:
        await ask_until_the_bot_talks(socket, question_pcm16k)
        for frame in frames(question_pcm16k, silence_s=0.1)[:60]:  # the visitor talks over it
            await socket.send(frame)
        events, _ = await receive_until(socket, "interrupted")
        # After "interrupted", no audio of the old answer arrives: the next thing is a new turn.
        for frame in frames(np.zeros(0, np.float32), silence_s=1.5):
            await socket.send(frame)
        after, _ = await receive_until(socket, "transcript")
        assert "<audio>" not in [e["type"] for e in after]
    transcript = (await client.get(f"/api/v1/bots/{bot['id']}/conversations", headers=owner.headers)).json()
    first = (await client.get(f"/api/v1/conversations/{transcript['conversations'][0]['id']}",
                              headers=owner.headers)).json()
    assert "interrupted" in {m["status"] for m in first["messages"] if m["role"] == "assistant"}


async def test_garbage_frames_and_bad_tokens_close_with_a_reason(realtime_url, live_server):
    url, _, bot = realtime_url
    async with websockets.connect(url) as socket:
        await socket.recv()
        for payload in (b"\x01", "not json", b"\x01\x02\x03"):
            await socket.send(payload)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            while True:
                await socket.recv()
        assert closed.value.rcvd.code == 4400
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(f"ws://{live_server}/api/v1/bots/{bot['id']}/voice/realtime?token=nope"):
            pass


async def test_a_noise_burst_while_the_bot_talks_does_not_barge_in(realtime_url, question_pcm16k):
    url, _, _ = realtime_url
    rng = np.random.default_rng(1)
    hiss = rng.normal(0, 0.3, 16_000 * 3 // 10).astype(np.float32)  # 300 ms, loud
    click = np.full(160, 0.8, np.float32)
    async with websockets.connect(url) as socket:
        await ask_until_the_bot_talks(socket, question_pcm16k)
        for frame in frames(np.concatenate([hiss, np.zeros(8000, np.float32), click]), silence_s=0.5):
            await socket.send(frame)
        events, audio = await receive_until(socket, "audio_end")
    types = [e["type"] for e in events]
    assert "interrupted" not in types and "speech_started" not in types
    assert audio  # the answer went on


async def test_commit_answers_without_waiting_for_the_silence_window(realtime_url, question_pcm16k):
    url, _, _ = realtime_url
    async with websockets.connect(url, max_size=None) as socket:
        await socket.recv()  # ready
        for frame in frames(question_pcm16k, silence_s=0):  # no trailing silence: the VAD can't call the end
            await socket.send(frame)
        await socket.send(json.dumps({"type": "commit"}))
        events, audio = await receive_until(socket, "audio_end")
    transcript = next(e for e in events if e["type"] == "transcript")
    assert "warehouse" in transcript["text"].lower() and audio
