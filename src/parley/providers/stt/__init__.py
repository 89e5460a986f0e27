"""Speech-to-text providers: see base.Transcriber."""
