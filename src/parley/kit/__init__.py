"""Shared building blocks: database session, errors, security helpers, rate limits."""
