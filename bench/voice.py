"""Voice benchmarks: model accuracy and speed, end-of-speech → first answer audio, barge-in reaction.

    .venv/bin/python bench/voice.py --data ../shared/evaldata/speech

1. WER and real-time factor of the offline STT and TTS (bench/voice_models.py).
2. Realtime WebSocket against `parley serve`, clips streamed at real-time pace in 32 ms frames:
   end of speech → first answer audio byte, p50/p95, with the offline providers and with instant
   wire-protocol fakes for STT, LLM and TTS (Parley's own overhead only). End of speech is the clip's
   last voiced sample; the figure includes the time the VAD takes to call the end of speech (its
   300 ms silence window, after its score has fallen), which is replayed offline and printed apart.
3. Barge-in: from the visitor's speech onset (first voiced sample) to the last audio frame of the
   interrupted answer. The bot holds its audio at the first likely-speech VAD frame; cancelling the
   answer waits for the VAD's 200 ms minimum speech (printed apart), which keeps coughs out.

The machine's load average is printed with the figures: on a shared 2-core machine they are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import websockets

sys.path.insert(0, str(Path(__file__).parent))
from _server import Server, free_port  # noqa: E402
from voice_models import bench_stt, bench_tts, load_clips  # noqa: E402

FRAME = 512  # 32 ms at 16 kHz
FRAME_S = FRAME / 16_000
END_OF_SPEECH_MS = 300
POLICY = "Our warehouse is in Lyon, France, and parcels leave it within two business days."
HIGH = "100000000/minute"
VOICED = 0.02  # a sample this loud is speech: where speech starts and ends in a clip


def pcm16(audio: np.ndarray) -> bytes:
    return (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()


async def send_paced(socket, audio: np.ndarray) -> float:
    """Send at real-time pace; returns when the last frame left."""
    data = pcm16(audio)
    started = time.perf_counter()
    for i, offset in enumerate(range(0, len(data), FRAME * 2)):
        await socket.send(data[offset:offset + FRAME * 2])
        delay = started + (i + 1) * FRAME_S - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    return time.perf_counter()


async def setup_bot(url: str, voice: dict, model: dict) -> tuple[str, dict]:
    async with httpx.AsyncClient(timeout=60) as http:
        account = (await http.post(f"{url}/api/v1/auth/signup", json={
            "email": f"voice-{time.time_ns()}@example.com", "password": "correct horse battery staple"})).json()
        auth = {"Authorization": f"Bearer {account['access_token']}"}
        bot = (await http.post(f"{url}/api/v1/bots", headers=auth, json={"name": "voice", "config": {
            "voice": {**voice, "end_of_speech_ms": END_OF_SPEECH_MS}, "model": model}})).json()
        await http.post(f"{url}/api/v1/bots/{bot['id']}/sources", headers=auth,
                        json={"type": "text", "name": "Policies", "text": POLICY})
        key = (await http.post(f"{url}/api/v1/orgs/{account['organization']['id']}/api-keys", headers=auth,
                               json={"name": "bench"})).json()["key"]
        for _ in range(300):
            sources = (await http.get(f"{url}/api/v1/bots/{bot['id']}/sources", headers=auth)).json()["sources"]
            if sources[0]["status"] == "ready":
                break
            await asyncio.sleep(0.2)
    return f"{url.replace('http', 'ws')}/api/v1/bots/{bot['id']}/voice/realtime?token={key}", auth


async def first_audio_at(socket) -> float:
    while not isinstance(await socket.recv(), bytes):
        pass
    return time.perf_counter()


async def first_audio_latency(ws_url: str, clip: np.ndarray) -> float:
    async with websockets.connect(ws_url, max_size=None) as socket:
        await socket.recv()  # ready
        # Listen while sending: with fast providers the answer starts before the clip's own trailing silence ends.
        first_audio = asyncio.create_task(first_audio_at(socket))
        sent = await send_paced(socket, clip)
        # End of speech: the last voiced sample, not the end of the file (clips end with some silence).
        voiced = np.flatnonzero(np.abs(clip) > VOICED)
        speech_end = sent - (len(clip) - (voiced[-1] + 1 if len(voiced) else len(clip))) / 16_000
        silence = asyncio.create_task(send_paced(socket, np.zeros(16_000 * 3, np.float32)))
        try:
            return await first_audio - speech_end
        finally:
            silence.cancel()


async def first_audio_after_commit(ws_url: str, clip: np.ndarray) -> float:
    """The client says when the visitor stopped (push-to-talk, or its own VAD): end of speech is known
    exactly, so this is the pipeline alone (STT, agent, TTS and Parley's own work)."""
    voiced = np.flatnonzero(np.abs(clip) > VOICED)
    speech = clip[: voiced[-1] + 1] if len(voiced) else clip
    async with websockets.connect(ws_url, max_size=None) as socket:
        await socket.recv()  # ready
        first_audio = asyncio.create_task(first_audio_at(socket))
        await send_paced(socket, speech)
        committed = time.perf_counter()
        await socket.send(json.dumps({"type": "commit"}))
        return await first_audio - committed


async def barge_in(ws_url: str, question: np.ndarray, interruption: np.ndarray) -> tuple[float, float]:
    """(speech onset → last audio frame, speech onset → `interrupted`: the answer is cancelled)."""
    async with websockets.connect(ws_url, max_size=None) as socket:
        await socket.recv()
        await send_paced(socket, question)
        feeder = asyncio.create_task(send_paced(socket, np.zeros(16_000 * 3, np.float32)))
        while not isinstance(await socket.recv(), bytes):
            pass
        feeder.cancel()
        # Onset: the first sample the visitor actually voices (the clips start with a little silence).
        voiced = np.flatnonzero(np.abs(interruption) > VOICED)
        onset = time.perf_counter() + (voiced[0] / 16_000 if len(voiced) else 0.0)
        talker = asyncio.create_task(send_paced(socket, interruption))
        last_audio = onset
        while True:
            message = await socket.recv()
            if isinstance(message, bytes):
                last_audio = time.perf_counter()
            elif json.loads(message)["type"] == "interrupted":
                break
        talker.cancel()
        return last_audio - onset, time.perf_counter() - onset


def vad_end_delay(clip: np.ndarray) -> float:
    """From the clip's last voiced sample to the 32 ms frame where the server's VAD calls the end of speech."""
    from parley.voice.vad import FRAME_SAMPLES, SileroVad

    audio = np.concatenate([clip, np.zeros(16_000 * 3, np.float32)])
    last_voiced = np.flatnonzero(np.abs(clip) > VOICED)[-1] + 1
    vad = SileroVad(min_silence_ms=END_OF_SPEECH_MS)
    for start in range(0, len(audio), FRAME_SAMPLES):
        if any(e.kind == "speech_end" for e in vad.process(audio[start:start + FRAME_SAMPLES])):
            return (start + FRAME_SAMPLES - last_voiced) / 16_000
    return float("nan")


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


async def realtime(url: str, label: str, voice: dict, model: dict, clips: list[np.ndarray], rounds: int) -> None:
    ws_url, _ = await setup_bot(url, voice, model)
    await first_audio_latency(ws_url, clips[0])  # warm-up: models loaded
    latencies = [await first_audio_latency(ws_url, clip) for _ in range(rounds) for clip in clips]
    # The VAD's share, replayed offline on the same frames: the rest is the pipeline (STT, agent, TTS, ours).
    vad_delays = [vad_end_delay(clip) for _ in range(rounds) for clip in clips]
    pipeline = [latency - vad for latency, vad in zip(latencies, vad_delays, strict=True)]
    print(f"{label:<8} end of speech → first audio byte: p50 {pct(latencies, 50):6.0f} ms  p95 {pct(latencies, 95):6.0f} ms"
          f"   = VAD calls the end (its {END_OF_SPEECH_MS} ms silence window and the fall of its score) p50 "
          f"{pct(vad_delays, 50):.0f} ms + pipeline p50 {pct(pipeline, 50):.0f} ms  p95 {pct(pipeline, 95):.0f} ms")
    committed = [await first_audio_after_commit(ws_url, clip) for _ in range(rounds) for clip in clips]
    print(f"{label:<8} end of speech signalled by the client (commit) → first audio byte: p50 "
          f"{pct(committed, 50):6.0f} ms  p95 {pct(committed, 95):6.0f} ms")
    # Each other clip talks over the answer to the first one, `rounds` times.
    runs = [await barge_in(ws_url, clips[0], clip) for _ in range(rounds) for clip in clips[1:] or clips]
    reactions, cancels = [r for r, _ in runs], [c for _, c in runs]
    print(f"{label:<8} barge-in, speech onset → last audio frame: p50 {pct(reactions, 50):6.0f} ms  "
          f"p95 {pct(reactions, 95):6.0f} ms  max {max(reactions) * 1000:6.0f} ms  (n={len(runs)}; "
          f"→ answer cancelled: p50 {pct(cancels, 50):.0f} ms)")


def load_average() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--skip-models", action="store_true")
    args = parser.parse_args()
    clips = load_clips(Path(args.data))
    if not args.skip_models:
        asyncio.run(bench_stt(clips, beam=1, threads=2, runs=1))
        asyncio.run(bench_tts(runs=2, threads=2))
    audio = [clip for _, clip, _ in clips]
    groq_port, deepgram_port = free_port(), free_port()
    fakes = [subprocess.Popen([sys.executable, str(Path(__file__).parent / "_fake_llm.py"), "--port", str(port), *extra])
             for port, extra in ((groq_port, []), (deepgram_port, ["--deepgram"]))]
    with tempfile.TemporaryDirectory(prefix="parley-bench-voice-") as tmp:
        server = Server(Path(tmp) / "data", env={
            "PARLEY_GROQ_API_KEY": "gsk_bench", "PARLEY_GROQ_BASE_URL": f"http://127.0.0.1:{groq_port}",
            "PARLEY_DEEPGRAM_API_KEY": "dg_bench", "PARLEY_DEEPGRAM_BASE_URL": f"http://127.0.0.1:{deepgram_port}",
            "PARLEY_RATE_LIMIT_API": HIGH, "PARLEY_RATE_LIMIT_CHAT_BOT": HIGH, "PARLEY_RATE_LIMIT_AUTH": HIGH})
        try:
            server.wait_ready()
            print(f"realtime benchmarks start ({load_average()})")
            asyncio.run(realtime(server.url, "offline", {"stt_provider": "local", "tts_provider": "piper"},
                                 {"provider": "extractive"}, audio, args.rounds))
            asyncio.run(realtime(server.url, "fakes", {"stt_provider": "groq", "tts_provider": "deepgram"},
                                 {"provider": "groq", "model": "llama-3.3-70b", "fallback_to_extractive": False},
                                 audio, args.rounds))
            print(f"realtime benchmarks end ({load_average()})")
        finally:
            server.stop()
            for fake in fakes:
                fake.terminate()


if __name__ == "__main__":
    main()
