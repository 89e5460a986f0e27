"""Text-to-speech providers: see base.Synthesizer."""
