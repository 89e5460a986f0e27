"""Supabase Auth's JWKS endpoint, plus helpers to sign access tokens the way Supabase does."""

from __future__ import annotations

import json
import time
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


class FakeSupabaseAuth:
    def __init__(self) -> None:
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        self.jwks_requests = 0
        self.app = Starlette(routes=[Route("/auth/v1/.well-known/jwks.json", self._jwks)])

    async def _jwks(self, request):
        self.jwks_requests += 1
        public_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        public_jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return JSONResponse({"keys": [public_jwk]})

    def sign(self, base_url: str, *, sub: str, email: str, ttl_s: int = 3600, **claims) -> str:
        payload = {"sub": sub, "email": email, "aud": "authenticated", "role": "authenticated",
                   "iss": f"{base_url}/auth/v1", "exp": int(time.time()) + ttl_s, **claims}
        return jwt.encode(payload, self.private_key, algorithm="RS256", headers={"kid": self.kid})


def sign_hs256(secret: str, *, sub: str, email: str, ttl_s: int = 3600) -> str:
    payload = {"sub": sub, "email": email, "aud": "authenticated", "role": "authenticated",
               "exp": int(time.time()) + ttl_s}
    return jwt.encode(payload, secret, algorithm="HS256")
