"""Secret header values of HTTP actions: encrypted in the database, never shown again."""

from __future__ import annotations

import copy

from parley.kit.security import SecretBox

MASK = "••••••"
_PREFIX = "enc:"


def protect(config: dict, previous: dict | None, box: SecretBox) -> dict:
    """Encrypt new secret values; a masked value keeps the previously stored secret."""
    config = copy.deepcopy(config)
    old_actions = {a["name"]: a for a in ((previous or {}).get("tools") or {}).get("http_actions", [])}
    for action in (config.get("tools") or {}).get("http_actions", []):
        old_secrets = old_actions.get(action["name"], {}).get("secret_headers", {})
        protected = {}
        for header, value in action.get("secret_headers", {}).items():
            if value == MASK and header in old_secrets:
                protected[header] = old_secrets[header]
            elif value.startswith(_PREFIX):
                protected[header] = old_secrets.get(header, "")  # never accept ciphertext from a client
            else:
                protected[header] = _PREFIX + box.encrypt(value)
        action["secret_headers"] = protected
    return config


def masked(config: dict) -> dict:
    config = copy.deepcopy(config)
    for action in (config.get("tools") or {}).get("http_actions", []):
        action["secret_headers"] = {header: MASK for header in action.get("secret_headers", {})}
    return config


def reveal(value: str, box: SecretBox) -> str:
    return box.decrypt(value[len(_PREFIX):]) if value.startswith(_PREFIX) else value
