"""Accept Supabase Auth access tokens: HS256 with the project's JWT secret, or keys from its JWKS."""

from __future__ import annotations

import asyncio
from typing import Any

import jwt
from jwt import PyJWKClient

from parley.kit.security import TokenError


class SupabaseVerifier:
    def __init__(self, *, jwt_secret: str | None, url: str | None, audience: str = "authenticated") -> None:
        self.jwt_secret = jwt_secret
        self.audience = audience
        self.issuer = f"{url.rstrip('/')}/auth/v1" if url else None
        # PyJWKClient caches the key set and refetches when it sees an unknown key id.
        self.jwks = PyJWKClient(f"{self.issuer}/.well-known/jwks.json", cache_keys=True,
                                lifespan=600, timeout=5) if url else None

    async def verify(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise TokenError("The token is invalid.") from exc
        algorithm = header.get("alg")
        options = {"require": ["exp", "sub"]}
        try:
            if algorithm == "HS256" and self.jwt_secret:
                return jwt.decode(token, self.jwt_secret, algorithms=["HS256"], audience=self.audience,
                                  options=options)
            if algorithm in ("RS256", "ES256") and self.jwks is not None:
                key = await asyncio.to_thread(self.jwks.get_signing_key_from_jwt, token)
                return jwt.decode(token, key.key, algorithms=[algorithm], audience=self.audience,
                                  issuer=self.issuer, options=options)
        except jwt.ExpiredSignatureError as exc:
            raise TokenError("The token has expired.") from exc
        except (jwt.PyJWTError, jwt.PyJWKClientError) as exc:
            raise TokenError("The token is invalid.") from exc
        raise TokenError("The token is invalid.")
