"""A spoken turn: audio in → transcript → the same chat agent → answer audio, sentence by sentence.

The agent runs in its own task, so the transcript and the answer are stored even when the
client hangs up in the middle of the audio.
"""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import AsyncIterator
from typing import Any

import numpy as np

from parley.bots.models import Bot
from parley.bots.schemas import BotConfig
from parley.chat.service import ChatService, TurnRequest
from parley.kit.db import utcnow
from parley.runtime import Runtime
from parley.voice.audio import StreamingEncoder, duration_s
from parley.voice.models import AnswerAudio, VoiceRecording, VoiceSession
from parley.voice.recordings import SpokenAudio, turn_recordings
from parley.voice.sentences import SentenceSplitter
from parley.voice.signing import audio_url

DIDNT_CATCH = "Sorry, I didn't catch that. Could you say it again?"
_END = object()


async def _pump(events: AsyncIterator[dict[str, Any]], queue: asyncio.Queue) -> None:
    try:
        async for event in events:
            await queue.put(event)
    except Exception as exc:  # noqa: BLE001 - surfaced to the listener as an error event
        await queue.put({"type": "error", "code": getattr(exc, "code", "error"), "message": str(exc)})
    finally:
        await queue.put(_END)


async def spoken_turn(runtime: Runtime, bot: Bot, pcm: np.ndarray, *, conversation_id: uuid.UUID | None,
                      fmt: str, visitor_id: str | None = None, channel: str = "voice") -> AsyncIterator[dict[str, Any]]:
    """Events: transcript, the chat events (start, token, citations, done | error), audio*, audio_done."""
    config = BotConfig.model_validate(bot.config).voice
    transcriber = runtime.voice.transcriber(config.stt_provider)
    synthesizer = runtime.voice.synthesizer(config.tts_provider)
    transcript = await transcriber.transcribe(pcm, language=config.stt_language)
    text = transcript.text.strip()
    yield {"type": "transcript", "text": text, "language": transcript.language,
           "duration_s": round(transcript.duration_s, 2)}
    session = VoiceSession(org_id=bot.org_id, bot_id=bot.id, conversation_id=conversation_id, channel="http",
                           speech_in_s=duration_s(pcm), turns=1)
    queue: asyncio.Queue = asyncio.Queue()
    if transcript.no_speech or not text:
        await queue.put({"type": "token", "text": DIDNT_CATCH})
        await queue.put(_END)
        agent = None
    else:
        turn = TurnRequest(bot=bot, text=text, channel=channel, conversation_id=conversation_id, visitor_id=visitor_id)
        agent = asyncio.create_task(_pump(ChatService(runtime).stream(turn), queue))
    encoder = StreamingEncoder(fmt, synthesizer.sample_rate)
    splitter, whole, seq, message_id = SentenceSplitter(), bytearray(), 0, None
    spoken_s = 0.0

    async def speak(sentences: list[str]) -> AsyncIterator[dict[str, Any]]:
        nonlocal seq, spoken_s
        for sentence in sentences:
            async for chunk in synthesizer.stream(sentence, voice=config.tts_voice, speed=config.speaking_rate):
                data = encoder.encode(np.frombuffer(chunk.pcm, dtype=np.int16))
                spoken_s += chunk.duration_s
                if data:
                    whole.extend(data)
                    seq += 1
                    yield {"type": "audio", "seq": seq, "format": fmt, "text": chunk.text,
                           "data": base64.b64encode(data).decode()}

    try:
        while (event := await queue.get()) is not _END:
            if event["type"] in ("start", "done"):
                message_id = event.get("message_id")
                session.conversation_id = uuid.UUID(event["conversation_id"])
            yield event
            if event["type"] == "token":
                async for audio in speak(splitter.push(event["text"])):
                    yield audio
        async for audio in speak(splitter.flush()):
            yield audio
        tail = encoder.finish()
        if tail:
            whole.extend(tail)
            yield {"type": "audio", "seq": seq + 1, "format": fmt, "text": "",
                   "data": base64.b64encode(tail).decode()}
        recordings = None
        if config.keep_recordings and session.conversation_id is not None:
            recordings = await turn_recordings(bot, session.conversation_id, _uuid(message_id),
                                               visitor=SpokenAudio.from_float(pcm),
                                               answer=SpokenAudio(seconds=spoken_s, data=bytes(whole), format=fmt))
        audio_id = await _store(runtime, bot, session, message_id, fmt, bytes(whole), spoken_s, recordings or [])
        url = audio_url(runtime.settings.secret, audio_id, runtime.settings.voice_audio_ttl_s)
        yield {"type": "audio_done", "audio_url": url, "seconds": round(spoken_s, 2)}
    finally:
        if agent is not None and not agent.done():
            # The visitor hung up: let the answer finish and be stored, but don't wait for it here.
            agent.add_done_callback(lambda task: task.exception() if not task.cancelled() else None)


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


async def _store(runtime: Runtime, bot: Bot, session: VoiceSession, message_id: str | None, fmt: str, data: bytes,
                 spoken_s: float, recordings: list[VoiceRecording]) -> uuid.UUID:
    async with runtime.db.session() as db:
        session.speech_out_s, session.ended_at = spoken_s, utcnow()
        db.add(session)
        audio = AnswerAudio(org_id=bot.org_id, message_id=_uuid(message_id), format=fmt, data=data)
        db.add(audio)
        db.add_all(recordings)  # only when the bot keeps recordings
        await db.flush()
        return audio.id
