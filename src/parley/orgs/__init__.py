"""Orgs domain."""
