"""The streaming decoder stage: MediaRecorder-style webm/ogg opus chunks in, 16 kHz PCM out."""

from __future__ import annotations

import asyncio
import os

import numpy as np
import pytest

from parley.voice.audio import decode_to_pcm16k
from parley.voice.stream_decoder import StreamDecodeError, StreamDecoder
from tests.voice.clips import clip, encode_for_media_recorder, media_recorder_chunks


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    return decode_to_pcm16k(clip("goforward.wav").path)


@pytest.mark.parametrize("fmt", ["webm", "ogg"])
async def test_chunks_decode_as_they_arrive(speech, fmt):
    data = encode_for_media_recorder(speech, fmt)
    chunks = media_recorder_chunks(data, len(speech) / 16_000)
    decoder = StreamDecoder(fmt)

    async def collect() -> list[np.ndarray]:
        pieces = []
        async for pcm in decoder.pcm():
            pieces.append(pcm)
        return pieces

    reader = asyncio.create_task(collect())
    for chunk in chunks:
        decoder.feed(chunk)
        await asyncio.sleep(0.05)
    decoder.close()
    pieces = await asyncio.wait_for(reader, timeout=5)
    audio = np.concatenate(pieces)
    assert abs(len(audio) - len(speech)) < 16_000 * 0.1  # all of it, at 16 kHz
    n = min(len(audio), len(speech))
    assert np.corrcoef(audio[:n], speech[:n])[0, 1] > 0.8  # the same sound (opus keeps the timing)


async def test_audio_comes_out_before_the_stream_ends(speech):
    data = encode_for_media_recorder(speech)
    chunks = media_recorder_chunks(data, len(speech) / 16_000)
    decoder = StreamDecoder("webm")
    try:
        decoder.feed(chunks[0])
        first = await asyncio.wait_for(anext(decoder.pcm()), timeout=2)
        assert len(first) > 0
    finally:
        decoder.close()


async def test_a_first_chunk_without_the_header_is_refused():
    decoder = StreamDecoder("webm")
    with pytest.raises(StreamDecodeError):
        decoder.feed(os.urandom(2000))
    decoder.close()


@pytest.mark.parametrize("tail", ["garbage", "nothing"])
async def test_a_valid_header_then_garbage_or_nothing_is_an_error_not_a_hang(speech, tail):
    header = encode_for_media_recorder(speech)[:200]  # EBML header and part of the track list
    chunks = [header, *(os.urandom(2000) for _ in range(10))] if tail == "garbage" else [header]
    decoder = StreamDecoder("webm", stall_s=0.5)
    with pytest.raises(StreamDecodeError):
        async with asyncio.timeout(5):
            for chunk in chunks:
                decoder.feed(chunk)
            async for _ in decoder.pcm():
                pass
    decoder.close()


async def test_a_corrupt_header_is_an_error():
    decoder = StreamDecoder("webm")
    decoder.feed(b"\x1a\x45\xdf\xa3" + os.urandom(3000))
    with pytest.raises(StreamDecodeError):
        async with asyncio.timeout(5):
            async for _ in decoder.pcm():
                pass
    decoder.close()
