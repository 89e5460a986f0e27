"""Audio formats Parley answers in (kept apart from PyAV, which is slow to import)."""

CONTENT_TYPES: dict[str, str] = {
    "mp3": "audio/mpeg",
    "opus": "audio/ogg; codecs=opus",
    "wav": "audio/wav",
}
