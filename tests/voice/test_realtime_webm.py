"""Realtime voice with a browser's MediaRecorder audio: webm/opus chunks in, transcript and audio out."""

from __future__ import annotations

import asyncio
import json
import os

import numpy as np
import pytest
import websockets

from parley.voice.audio import decode_to_pcm16k
from parley.voice.wer import word_error_rate
from tests.voice.clips import clip, encode_for_media_recorder, media_recorder_chunks
from tests.voice.test_realtime import realtime_url, receive_until  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow


def recorded(name: str, fmt: str = "webm") -> list[bytes]:
    """A real speech clip, then the silence that ends the utterance, in 250 ms MediaRecorder chunks."""
    speech = decode_to_pcm16k(clip(name).path)
    audio = np.concatenate([np.zeros(4000, np.float32), speech, np.zeros(16_000 * 3 // 2, np.float32)])
    return media_recorder_chunks(encode_for_media_recorder(audio, fmt), len(audio) / 16_000)


async def closed_code(socket, *then_send: bytes) -> int:
    """Send the chunks (250 ms apart), then read until the server closes; the close code."""
    with pytest.raises(websockets.ConnectionClosed) as closed:
        async with asyncio.timeout(10):
            for chunk in then_send:
                await socket.send(chunk)
                await asyncio.sleep(0.25)
            while True:
                await socket.recv()
    return closed.value.rcvd.code


@pytest.mark.parametrize("fmt", ["webm", "ogg"])
async def test_media_recorder_chunks_get_a_transcript_and_audio(realtime_url, fmt):  # noqa: F811
    url, _, _ = realtime_url
    async with websockets.connect(f"{url}&input_format={fmt}") as socket:
        ready = json.loads(await socket.recv())
        assert ready["input"]["format"] == fmt
        for chunk in recorded("goforward.wav", fmt):
            await socket.send(chunk)
            await asyncio.sleep(0.02)  # faster than real time; the decoder still gets them one by one
        events, audio = await receive_until(socket, "audio_end")
    transcript = next(e for e in events if e["type"] == "transcript")
    assert word_error_rate(clip("goforward.wav").reference, transcript["text"]) <= 0.25
    assert audio and sum(len(a) for a in audio) > ready["output"]["sample_rate"] * 2 * 0.5


async def test_garbage_opus_closes_with_a_reason(realtime_url):  # noqa: F811
    url, _, _ = realtime_url
    async with websockets.connect(f"{url}&input_format=webm") as socket:
        await socket.recv()
        await socket.send(os.urandom(4000))  # no webm header
        assert await closed_code(socket) == 4415
    header = recorded("goforward.wav")[0][:300]
    async with websockets.connect(f"{url}&input_format=webm") as socket:
        await socket.recv()
        # A valid header, then noise the demuxer keeps resyncing over: closed after the stall bound (2 s).
        assert await closed_code(socket, header, *(os.urandom(2000) for _ in range(30))) == 4415


async def test_unknown_input_format_is_refused(realtime_url):  # noqa: F811
    url, _, _ = realtime_url
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(f"{url}&input_format=flac"):
            pass
