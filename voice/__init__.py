"""Hearing and speaking: recognizers, the wake phrase, the TTS speaker, the dialogue, the CLI."""
