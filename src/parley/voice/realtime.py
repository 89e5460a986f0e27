"""Realtime voice over a WebSocket, as a pipeline of small stages:

    microphone audio → (webm/ogg opus: stream decoder) → VAD (utterances) → STT → agent
        → sentence splitter → TTS → PCM16 frames out

The client says how it sends audio with the `input_format` query parameter: `pcm16` (default;
binary frames of 16 kHz mono little-endian PCM16) or `webm` / `ogg` (a MediaRecorder's opus
chunks, sent as they come; the first one holds the container header). Undecodable chunks close
the socket with 4415.

Barge-in, in two steps (barge_in.py). As soon as the VAD hears likely speech, the bot holds its
audio: no frame leaves while the visitor may be speaking. Once the VAD confirms speech (200 ms of
it, which keeps coughs and clicks out), the rest of the answer is cancelled and stored as
interrupted, and the session listens. A shorter burst only pauses the audio and the answer goes on.

Control frames (JSON text): `ping`; `text` (a typed message); `stop` (cut the answer short);
`commit` (the visitor has finished speaking: answer what was heard without waiting for the
end-of-speech silence, for push-to-talk or a client-side VAD).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid

import numpy as np
from fastapi import WebSocket, WebSocketDisconnect

from parley.bots.models import Bot
from parley.bots.schemas import BotConfig
from parley.chat.service import ChatService, TurnRequest
from parley.kit.db import utcnow
from parley.runtime import Runtime
from parley.voice.barge_in import FloorGuard
from parley.voice.early_transcript import EarlyTranscript
from parley.voice.models import VoiceSession
from parley.voice.recordings import Recorder, SpokenAudio
from parley.voice.sentences import SentenceSplitter
from parley.voice.stream_decoder import StreamDecodeError, StreamDecoder
from parley.voice.turn import DIDNT_CATCH
from parley.voice.utterances import UtteranceCollector
from parley.voice.vad import SileroVad

log = logging.getLogger("parley.voice")
INPUT_RATE = 16_000
FRAME_S = 0.1  # outgoing audio frames: barge-in stops within one of these
PLAYBACK_LEAD_S = 0.3  # how far ahead of real time audio is sent
IDLE_TIMEOUT_S = 60
MAX_BAD_FRAMES = 3
MAX_FRAME_BYTES = INPUT_RATE * 2 * 5  # 5 s of PCM16; compressed chunks are far smaller
PARTIAL_EVERY_S = 1.5


class RealtimeSession:
    def __init__(self, websocket: WebSocket, runtime: Runtime, bot: Bot, *, visitor_id: str | None,
                 conversation_id: uuid.UUID | None, input_format: str = "pcm16") -> None:
        self.ws = websocket
        self.input_format = input_format
        self.decoder = StreamDecoder(input_format) if input_format != "pcm16" else None  # type: ignore[arg-type]
        self.decoding: asyncio.Task | None = None
        self.runtime = runtime
        self.bot = bot
        self.visitor_id = visitor_id
        self.conversation_id = conversation_id
        self.voice = BotConfig.model_validate(bot.config).voice
        self.transcriber = runtime.voice.transcriber(self.voice.stt_provider)
        self.synthesizer = runtime.voice.synthesizer(self.voice.tts_provider)
        self.utterances = UtteranceCollector(SileroVad(threshold=self.voice.vad_threshold,
                                                       min_silence_ms=self.voice.end_of_speech_ms))
        self.floor_guard = FloorGuard.for_vad(self.voice.vad_threshold, self.utterances.vad.min_speech_samples
                                              * 1000 // INPUT_RATE)
        self.early = EarlyTranscript(self.transcriber, language=self.voice.stt_language)
        self.answer: asyncio.Task | None = None
        self.partial: asyncio.Task | None = None
        self.last_partial_at = 0.0
        self.record = VoiceSession(org_id=bot.org_id, bot_id=bot.id, conversation_id=conversation_id,
                                   channel="realtime", speech_in_s=0.0, speech_out_s=0.0, turns=0, interruptions=0)
        self.recorder = Recorder(runtime, bot, enabled=self.voice.keep_recordings)
        self.send_lock = asyncio.Lock()
        self.floor_free = asyncio.Event()  # cleared while the visitor may be speaking: the bot holds its audio
        self.floor_free.set()
        self.closed = False

    async def run(self) -> None:
        await self.send_json({"type": "ready", "input": {"format": self.input_format, "sample_rate": INPUT_RATE},
                              "output": {"format": "pcm16", "sample_rate": self.synthesizer.sample_rate}})
        if self.decoder is not None:
            self.decoding = asyncio.create_task(self.pump_decoded(self.decoder))
        bad_frames = 0
        try:
            while True:
                try:
                    message = await asyncio.wait_for(self.ws.receive(), timeout=IDLE_TIMEOUT_S)
                except TimeoutError:
                    await self.ws.close(code=4408, reason="Closed after a long silence.")
                    return
                if message["type"] == "websocket.disconnect":
                    return
                if message.get("bytes") is not None:
                    ok = await self.on_audio(message["bytes"])
                else:
                    ok = await self.on_control(message.get("text") or "")
                bad_frames = 0 if ok else bad_frames + 1
                if bad_frames >= MAX_BAD_FRAMES:
                    await self.ws.close(code=4400, reason="Too many malformed frames.")
                    return
        except WebSocketDisconnect:
            return
        finally:
            await self.close()

    async def on_audio(self, data: bytes) -> bool:
        if self.decoder is not None:
            return await self.on_compressed(self.decoder, data)
        if len(data) % 2 or len(data) > MAX_FRAME_BYTES:
            await self.send_json({"type": "error", "code": "bad_frame",
                                  "message": "Send PCM16 mono 16 kHz frames of at most 5 s."})
            return False
        await self.on_pcm(np.frombuffer(data, dtype=np.int16).astype(np.float32) / 32768.0)
        return True

    async def on_compressed(self, decoder: StreamDecoder, data: bytes) -> bool:
        if not data or len(data) > MAX_FRAME_BYTES:
            await self.send_json({"type": "error", "code": "bad_frame",
                                  "message": f"Send {self.input_format} chunks of at most {MAX_FRAME_BYTES} bytes."})
            return False
        try:
            decoder.feed(data)
        except StreamDecodeError as exc:
            await self.close_socket(4415, str(exc))
        return True

    async def pump_decoded(self, decoder: StreamDecoder) -> None:
        """The decoder's audio goes through the same VAD pipeline as PCM16 frames."""
        try:
            async for pcm in decoder.pcm():
                await self.on_pcm(pcm)
        except StreamDecodeError as exc:
            await self.close_socket(4415, str(exc))
        except Exception:  # as a failure in the receive loop would: close, don't go deaf
            log.exception("realtime voice: the decoded audio could not be processed")
            await self.close_socket(1011, "Internal error.")

    async def on_pcm(self, pcm: np.ndarray) -> None:
        was_speaking = self.utterances.in_utterance
        finished = self.utterances.feed(pcm)
        # Hold the bot's audio from the first likely-speech frame; barge-in proper waits for real speech.
        if self.floor_guard.update(self.utterances.vad.last_probabilities, in_speech=self.utterances.in_utterance):
            self.floor_free.clear()
        else:
            self.floor_free.set()
        if (self.utterances.in_utterance and not was_speaking) or (finished and not was_speaking):
            await self.on_speech_start()
        if self.utterances.in_utterance and time.monotonic() - self.last_partial_at > PARTIAL_EVERY_S:
            self.maybe_partial()
        for utterance in finished:
            await self.on_utterance(utterance)
        self.early.update(self.utterances.vad, self.utterances.current)

    async def on_control(self, text: str) -> bool:
        try:
            frame = json.loads(text)
            kind = frame["type"]
        except (ValueError, KeyError, TypeError):
            await self.send_json({"type": "error", "code": "bad_frame", "message": "Send JSON control frames."})
            return False
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "text" and str(frame.get("text", "")).strip():
            await self.interrupt()
            self.start_answer(str(frame["text"])[:4000])
        elif kind == "stop":
            await self.interrupt()
        elif kind == "commit":
            # The client knows the visitor is done (push-to-talk released, or its own VAD): answer
            # now instead of waiting for the end-of-speech silence window.
            self.floor_guard.release()
            self.floor_free.set()
            for utterance in self.utterances.flush():
                await self.on_utterance(utterance)
        return True

    async def on_speech_start(self) -> None:
        await self.send_json({"type": "speech_started"})
        await self.interrupt()

    async def interrupt(self) -> None:
        if self.answer is not None and not self.answer.done():
            self.answer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.answer
            self.record.interruptions += 1
            await self.send_json({"type": "interrupted"})

    def maybe_partial(self) -> None:
        if self.partial is not None and not self.partial.done():
            return
        self.last_partial_at = time.monotonic()
        audio = self.utterances.current()

        async def transcribe_partial() -> None:
            result = await self.transcriber.transcribe(audio, language=self.voice.stt_language)
            if result.text.strip() and self.utterances.in_utterance:
                await self.send_json({"type": "partial_transcript", "text": result.text.strip()})

        self.partial = asyncio.create_task(transcribe_partial())

    async def on_utterance(self, utterance: np.ndarray) -> None:
        self.record.speech_in_s += len(utterance) / INPUT_RATE
        transcript = await self.early.transcribe(utterance)
        text = transcript.text.strip()
        await self.send_json({"type": "transcript", "text": text})
        self.start_answer(text if text and not transcript.no_speech else None, utterance)

    def start_answer(self, text: str | None, utterance: np.ndarray | None = None) -> None:
        self.record.turns += 1
        self.answer = asyncio.create_task(self.answer_turn(text, utterance))

    async def answer_turn(self, text: str | None, utterance: np.ndarray | None) -> None:
        splitter = SentenceSplitter()
        spoken = bytearray()  # what the visitor heard, for the recording
        message_id = None
        try:
            if text is None:
                await self.speak([DIDNT_CATCH], spoken)
                return
            turn = TurnRequest(bot=self.bot, text=text, channel="voice", conversation_id=self.conversation_id,
                               visitor_id=self.visitor_id, cancelled_status="interrupted")
            async with contextlib.aclosing(ChatService(self.runtime).stream(turn)) as events:
                async for event in events:
                    if event["type"] == "start":
                        message_id = uuid.UUID(event["message_id"])
                    await self.on_answer_event(event, splitter, spoken)
            await self.speak(splitter.flush(), spoken)
            await self.send_json({"type": "audio_end"})
        finally:  # also when interrupted: the answer is stored by now, and the recording points at it
            rate = self.synthesizer.sample_rate
            self.recorder.keep(self.conversation_id, message_id,
                               visitor=SpokenAudio.from_float(utterance) if utterance is not None else None,
                               answer=SpokenAudio(seconds=len(spoken) / 2 / rate, pcm16=bytes(spoken), sample_rate=rate))

    async def on_answer_event(self, event: dict, splitter: SentenceSplitter, spoken: bytearray) -> None:
        if event["type"] == "start":
            self.conversation_id = uuid.UUID(event["conversation_id"])
            self.record.conversation_id = self.conversation_id
        await self.send_json(event)
        if event["type"] == "token":
            await self.speak(splitter.push(event["text"]), spoken)

    async def speak(self, sentences: list[str], spoken: bytearray) -> None:
        frame_bytes = int(self.synthesizer.sample_rate * FRAME_S) * 2
        for sentence in sentences:
            async for chunk in self.synthesizer.stream(sentence, voice=self.voice.tts_voice,
                                                       speed=self.voice.speaking_rate):
                started = time.monotonic()
                sent_s = 0.0
                for offset in range(0, len(chunk.pcm), frame_bytes):
                    # Paced close to real time, so a barge-in has little audio left in flight.
                    ahead = sent_s - (time.monotonic() - started)
                    if ahead > PLAYBACK_LEAD_S:
                        await asyncio.sleep(ahead - PLAYBACK_LEAD_S)
                    if not self.floor_free.is_set():  # checked last: nothing leaves once the visitor may talk
                        await self.floor_free.wait()
                    if self.closed:
                        return  # nobody listens any more; the text answer is still completed and stored
                    piece = chunk.pcm[offset:offset + frame_bytes]
                    async with self.send_lock:
                        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                            await self.ws.send_bytes(piece)
                    sent_s += len(piece) / 2 / chunk.sample_rate
                    if self.recorder.enabled:
                        spoken += piece
                    self.record.speech_out_s += len(piece) / 2 / chunk.sample_rate

    async def send_json(self, event: dict) -> None:
        async with self.send_lock:
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await self.ws.send_json(event)

    async def close_socket(self, code: int, reason: str) -> None:
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await self.ws.close(code=code, reason=reason[:120])

    async def close(self) -> None:
        self.closed = True
        self.floor_free.set()  # an answer holding its audio finishes (unheard) and is stored
        if self.decoder is not None:
            self.decoder.close()
        self.early.discard()
        for task in (self.partial, self.decoding):
            if task is not None and not task.done():
                task.cancel()
        if self.answer is not None and not self.answer.done():
            # The visitor hung up mid-answer: the answer still finishes and is stored.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self.answer), timeout=self.runtime.settings.turn_timeout_s)
        await self.recorder.drain()
        self.record.ended_at = utcnow()
        async with self.runtime.db.session() as session:
            session.add(self.record)
