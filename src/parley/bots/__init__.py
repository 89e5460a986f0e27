"""Bots: configuration, keys and status."""
