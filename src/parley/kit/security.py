"""Password hashing, opaque tokens, JWTs and encryption of secrets at rest."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
import time
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

# argon2id with the library's defaults (RFC 9106 "low memory" profile).
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so that login takes the same time either way.
    Made on first use: hashing costs ~0.1 s, which start-up need not pay."""
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_token(token: str) -> str:
    """Tokens are high-entropy, so a fast digest is enough (unlike passwords)."""
    return hashlib.sha256(token.encode()).hexdigest()


def derive_key(secret: bytes, purpose: str) -> bytes:
    """A separate key per purpose, so one leaked key type can't forge another."""
    return hmac.new(secret, purpose.encode(), hashlib.sha256).digest()


class TokenError(Exception):
    pass


class JwtCodec:
    # Tokens whose signature was already checked, with their claims: a dashboard or API client
    # sends the same token many times, and verifying it again is most of authentication's cost.
    _VERIFIED_MAX = 4096

    def __init__(self, secret: bytes, issuer: str = "parley") -> None:
        self._key = derive_key(secret, "jwt-access")
        self._issuer = issuer
        self._verified: dict[str, dict[str, Any]] = {}

    def encode(self, subject: str, *, ttl_s: int, token_type: str = "access", **claims: Any) -> str:
        now = int(time.time())
        payload = {"sub": subject, "iss": self._issuer, "iat": now, "exp": now + ttl_s, "typ": token_type,
                   **claims}
        return jwt.encode(payload, self._key, algorithm="HS256")

    def decode(self, token: str, *, token_type: str = "access") -> dict[str, Any]:
        claims = self._verified.get(token)
        if claims is None or claims["exp"] <= time.time():
            claims = self._verify(token)
        if claims.get("typ") != token_type:
            raise TokenError("The token is invalid.")
        return claims

    def _verify(self, token: str) -> dict[str, Any]:
        try:
            claims = jwt.decode(token, self._key, algorithms=["HS256"], issuer=self._issuer,
                                options={"require": ["exp", "sub", "iss"]})
        except jwt.ExpiredSignatureError as exc:
            self._verified.pop(token, None)
            raise TokenError("The token has expired.") from exc
        except jwt.PyJWTError as exc:
            raise TokenError("The token is invalid.") from exc
        if len(self._verified) >= self._VERIFIED_MAX:
            self._verified.pop(next(iter(self._verified)))  # oldest first: dicts keep insertion order
        self._verified[token] = claims
        return claims


class SecretBox:
    """Symmetric encryption for secrets stored in the database (OAuth refresh tokens, API keys)."""

    def __init__(self, secret: bytes) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(derive_key(secret, "secret-box")))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken as exc:
            raise TokenError("The stored secret can't be decrypted with the current key.") from exc
