"""Voice chat over HTTP on the offline defaults: Whisper hears, the agent answers, Piper speaks."""

from __future__ import annotations

import base64
import io
import wave

import numpy as np
import pytest

from parley.providers.tts.piper_local import PiperSynthesizer
from parley.voice.audio import decode_to_pcm16k, encode_audio
from parley.voice.turn import DIDNT_CATCH
from tests.chat.helpers import bot_with_knowledge, parse_sse
from tests.voice.clips import clip

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
async def spoken_question() -> bytes:
    """A real question, spoken by the offline TTS, as a WAV upload."""
    piper = PiperSynthesizer()
    try:
        pcm = b"".join([c.pcm async for c in piper.stream("Where is your warehouse?")])
        return encode_audio(np.frombuffer(pcm, dtype=np.int16), piper.sample_rate, "wav")
    finally:
        await piper.aclose()


@pytest.fixture
async def voice_bot(client, runtime):
    yield await bot_with_knowledge(client, runtime)
    await runtime.voice.aclose()


def _silence_wav(seconds: float) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1), wav.setsampwidth(2), wav.setframerate(16000)
        wav.writeframes(b"\x00\x00" * int(16000 * seconds))
    return buffer.getvalue()


async def test_spoken_question_gets_a_streamed_spoken_answer(client, voice_bot, spoken_question):
    owner, bot = voice_bot
    response = await client.post(f"/api/v1/bots/{bot['id']}/voice", headers=owner.headers,
                                 files={"audio": ("q.wav", spoken_question, "audio/wav")})
    assert response.status_code == 200, response.text
    events = parse_sse(response.text)
    types = [e["type"] for e in events]
    assert types[0] == "transcript" and "warehouse" in events[0]["text"].lower()
    assert "Lyon" in "".join(e["text"] for e in events if e["type"] == "token")
    audio = [e for e in events if e["type"] == "audio"]
    # Audio arrives sentence by sentence, the first chunk before the turn is finished.
    assert audio and types.index("audio") < types.index("audio_done")
    mp3 = b"".join(base64.b64decode(e["data"]) for e in audio)
    assert len(decode_to_pcm16k(mp3, max_seconds=60, max_bytes=10_000_000)) > 16000 * 0.5
    assert types[-1] == "audio_done"


async def test_json_answer_with_audio_url_and_a_mixed_conversation(client, voice_bot, spoken_question):
    owner, bot = voice_bot
    text_turn = (await client.post(f"/api/v1/bots/{bot['id']}/chat", headers=owner.headers,
                                   json={"message": "Is shipping free?"})).json()
    response = await client.post(f"/api/v1/bots/{bot['id']}/voice", headers={**owner.headers,
                                 "Accept": "application/json"}, data={"conversation_id": text_turn["conversation_id"],
                                                                      "format": "wav"},
                                 files={"audio": ("q.wav", spoken_question, "audio/wav")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "Lyon" in body["answer"] and body["citations"] and body["conversation_id"] == text_turn["conversation_id"]
    audio = await client.get(body["audio_url"])
    assert audio.status_code == 200 and audio.headers["content-type"].startswith("audio/wav")
    transcript = (await client.get(f"/api/v1/conversations/{body['conversation_id']}", headers=owner.headers)).json()
    assert len(transcript["messages"]) == 4
    tampered = body["audio_url"].replace("sig=", "sig=0")
    assert (await client.get(tampered)).status_code == 404


async def test_real_human_speech_is_transcribed(client, voice_bot):
    owner, bot = voice_bot
    speech = clip("librivox_sense_and_sensibility_0880.wav")
    response = await client.post(f"/api/v1/bots/{bot['id']}/voice", headers={**owner.headers,
                                 "Accept": "application/json"},
                                 files={"audio": ("clip.wav", speech.path.read_bytes(), "audio/wav")})
    assert "young man" in response.json()["transcript"].lower()


async def test_silence_gets_a_friendly_reply(client, voice_bot):
    owner, bot = voice_bot
    response = await client.post(f"/api/v1/bots/{bot['id']}/voice", headers={**owner.headers,
                                 "Accept": "application/json"},
                                 files={"audio": ("silence.wav", _silence_wav(2), "audio/wav")})
    assert response.status_code == 200 and response.json()["answer"] == DIDNT_CATCH


@pytest.mark.parametrize(("name", "payload", "status"), [
    ("notes.txt", b"this is not audio at all", 415),
    ("empty.wav", b"", 422),
    ("long.wav", None, 413),
])
async def test_bad_audio(client, voice_bot, runtime, name, payload, status):
    owner, bot = voice_bot
    runtime.settings.voice_max_seconds = 5
    payload = _silence_wav(6) if payload is None else payload
    response = await client.post(f"/api/v1/bots/{bot['id']}/voice", headers=owner.headers,
                                 files={"audio": (name, payload, "application/octet-stream")})
    assert response.status_code == status, response.text


async def test_too_large_audio_is_413(client, voice_bot, runtime):
    owner, bot = voice_bot
    runtime.settings.voice_max_upload_mb = 1
    response = await client.post(f"/api/v1/bots/{bot['id']}/voice", headers=owner.headers,
                                 files={"audio": ("big.wav", b"RIFF" + b"\x00" * (2 * 1024 * 1024), "audio/wav")})
    assert response.status_code == 413


@pytest.mark.parametrize("voice", [{"tts_provider": "espeak"}, {"stt_provider": "sphinx"},
                                   {"tts_provider": "piper", "tts_voice": "darth"},
                                   {"tts_provider": "deepgram", "tts_voice": "robot"}, {"speaking_rate": 5}])
async def test_unknown_voice_or_provider_is_422(client, voice_bot, voice):
    owner, bot = voice_bot
    response = await client.patch(f"/api/v1/bots/{bot['id']}", headers=owner.headers, json={"config": {"voice": voice}})
    assert response.status_code == 422
