"""Speed and accuracy of the offline voice models.

    .venv/bin/python bench/voice_models.py --data ../shared/evaldata/speech [--threads 2] [--runs 3]

Prints, for Whisper tiny.en (faster-whisper, int8) at beam 1 and beam 5: corpus WER
over <data>/transcripts.tsv (normalised: lower case, numbers spelled out, no
punctuation) and real-time factor (processing time / audio time; below 1 is
faster than real time). For Piper (en_US-joe-medium, in its worker process): cold
start, time to first chunk, real-time factor, and a round-trip WER (Piper speaks,
Whisper listens). Also the Silero VAD cost per 32 ms frame.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import statistics
import time
from pathlib import Path

import numpy as np

from parley.providers.stt.whisper_local import WhisperLocalTranscriber
from parley.providers.tts.piper_local import PiperSynthesizer
from parley.voice.audio import decode_to_pcm16k, resample
from parley.voice.vad import FRAME_SAMPLES, SileroVad
from parley.voice.wer import word_error_rate

ROUND_TRIP = [
    "Your order has shipped and should arrive on Tuesday.",
    "You can reset your password from the account settings page.",
    "Our support team is available from nine to five, Monday to Friday.",
    "The quick brown fox jumps over the lazy dog.",
    "Refunds are processed within ten business days.",
]
ANSWER = (
    "Sure. You can change your plan at any time from the billing page. "
    "The new price applies from your next invoice, and unused days are credited. "
    "If you need help, just ask and I will walk you through it."
)


def load_clips(data: Path) -> list[tuple[str, np.ndarray, str]]:
    with open(data / "transcripts.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [(row["file"], decode_to_pcm16k(data / row["file"]), row["reference"]) for row in rows]


async def bench_stt(clips: list[tuple[str, np.ndarray, str]], beam: int, threads: int, runs: int) -> None:
    whisper = WhisperLocalTranscriber(beam_size=beam, cpu_threads=threads)
    started = time.perf_counter()
    await whisper.warm_up()
    load_s = time.perf_counter() - started
    await whisper.transcribe(clips[0][1])  # first call pays for lazy initialisation
    audio_s = sum(len(pcm) for _, pcm, _ in clips) / 16_000
    timings, hypotheses = [], []
    for _ in range(runs):
        started = time.perf_counter()
        hypotheses = [(await whisper.transcribe(pcm)).text for _, pcm, _ in clips]
        timings.append(time.perf_counter() - started)
    wer = word_error_rate([ref for _, _, ref in clips], hypotheses)
    rtf = statistics.median(timings) / audio_s
    print(
        f"STT tiny.en beam {beam}: WER {wer:6.2%}   RTF {rtf:.3f}   "
        f"({len(clips)} clips, {audio_s:.1f} s audio, load {load_s:.2f} s)"
    )
    for (name, _, ref), hyp in zip(clips, hypotheses, strict=True):
        print(f"    {word_error_rate(ref, hyp):6.1%}  {name}: {hyp}")
    whisper.close()


async def bench_tts(runs: int, threads: int) -> None:
    piper = PiperSynthesizer()
    started = time.perf_counter()
    await piper.start()
    print(f"TTS Piper joe-medium: worker start (process + voice load) {time.perf_counter() - started:.2f} s")

    for text, label in (
        (ANSWER, "opens with 'Sure.'"),
        (ANSWER.removeprefix("Sure. "), "13-word first sentence"),
    ):
        first_chunk, total, audio = [], [], []
        for _ in range(runs):
            started = time.perf_counter()
            spoken = 0.0
            async for chunk in piper.stream(text):
                if spoken == 0.0:
                    first_chunk.append(time.perf_counter() - started)
                spoken += chunk.duration_s
            total.append(time.perf_counter() - started)
            audio.append(spoken)
        print(
            f"    answer {label}: time to first chunk {statistics.median(first_chunk) * 1000:.0f} ms "
            f"(median of {runs})   RTF {sum(total) / sum(audio):.3f}   ({audio[0]:.1f} s audio)"
        )

    whisper = WhisperLocalTranscriber(cpu_threads=threads)
    heard = []
    for sentence in ROUND_TRIP:
        pcm = b"".join([chunk.pcm async for chunk in piper.stream(sentence)])
        heard.append((await whisper.transcribe(resample(pcm, piper.sample_rate, 16_000))).text)
    print(
        f"    round trip Piper -> Whisper tiny.en: WER {word_error_rate(ROUND_TRIP, heard):.2%} "
        f"over {len(ROUND_TRIP)} sentences"
    )
    whisper.close()
    await piper.aclose()


def bench_vad(clips: list[tuple[str, np.ndarray, str]]) -> None:
    audio = np.concatenate([pcm for _, pcm, _ in clips] * 3)
    vad = SileroVad()
    started = time.perf_counter()
    for start in range(0, len(audio), FRAME_SAMPLES):
        vad.process(audio[start : start + FRAME_SAMPLES])
    per_frame = (time.perf_counter() - started) / (len(audio) / FRAME_SAMPLES)
    print(
        f"VAD Silero v6: {per_frame * 1000:.3f} ms CPU per 32 ms frame ({per_frame / 0.032:.2%} of real time)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, required=True, help="folder with *.wav and transcripts.tsv")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for Whisper")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    clips = load_clips(args.data)
    for beam in (1, 5):
        await bench_stt(clips, beam, args.threads, args.runs)
    await bench_tts(args.runs, args.threads)
    bench_vad(clips)


if __name__ == "__main__":
    asyncio.run(main())
