"""Voice building blocks: audio decoding/encoding, VAD, sentence splitting, WER."""
