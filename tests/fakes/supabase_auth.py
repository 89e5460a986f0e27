"""A local Supabase Auth (GoTrue): the JWKS endpoint, and the password flows that supabase-js uses.

Wire protocol as GoTrue speaks it to @supabase/auth-js 2.x:
- POST /auth/v1/signup                          {email, password, data} -> session (autoconfirm) or user
- POST /auth/v1/token?grant_type=password       {email, password}       -> session
- POST /auth/v1/token?grant_type=refresh_token  {refresh_token}         -> session (the old token is spent)
- POST /auth/v1/logout?scope=local|global|others   Authorization: Bearer <access> -> 204
- GET|PUT /auth/v1/user                         Authorization: Bearer <access> -> user
A session is {access_token, token_type, expires_in, expires_at, refresh_token, user}. Errors follow API
version 2024-01-01 ({code, message} plus the X-Supabase-Api-Version header) when the client asks for it.
Every request needs the project's `apikey` header. CORS is open, because the browser calls it directly.
Access tokens are signed with `jwt_secret` (HS256, a project's legacy JWT secret) when given, else with
an RSA key published at /auth/v1/.well-known/jwks.json (RS256, asymmetric signing keys).
"""

from __future__ import annotations

import json
import re
import secrets
import time
import uuid
from datetime import UTC, datetime

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

API_VERSION = "2024-01-01"
_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")


class GoTrueError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class FakeSupabaseAuth:
    def __init__(self, *, anon_key: str = "sb_publishable_fake-project-key", jwt_secret: str | None = None,
                 access_ttl_s: int = 3600, autoconfirm: bool = True) -> None:
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        self.anon_key, self.jwt_secret = anon_key, jwt_secret
        self.access_ttl_s, self.autoconfirm = access_ttl_s, autoconfirm
        self.jwks_requests = 0
        self.calls: list[str] = []  # "POST /auth/v1/token?grant_type=password", ... for assertions
        self.users: dict[str, dict] = {}  # by email
        self.passwords: dict[str, str] = {}  # user id -> password
        self.refresh_tokens: dict[str, tuple[str, str]] = {}  # live token -> (user id, session id)
        routes = [Route("/auth/v1/.well-known/jwks.json", self._jwks),
                  Route("/auth/v1/signup", self._signup, methods=["POST"]),
                  Route("/auth/v1/token", self._token, methods=["POST"]),
                  Route("/auth/v1/logout", self._logout, methods=["POST"]),
                  Route("/auth/v1/user", self._user, methods=["GET", "PUT"])]
        cors = Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"], allow_headers=["*"],
                          expose_headers=["X-Supabase-Api-Version"])
        self.app = Starlette(routes=routes, middleware=[cors], exception_handlers={GoTrueError: self._error})

    # --- signing -------------------------------------------------------------------------------------

    def sign(self, base_url: str, *, sub: str, email: str, ttl_s: int = 3600, **claims) -> str:
        """An RS256 access token from this project's signing key (the JWKS flavour)."""
        payload = {"sub": sub, "email": email, "aud": "authenticated", "role": "authenticated",
                   "iss": f"{base_url}/auth/v1", "exp": int(time.time()) + ttl_s, **claims}
        return jwt.encode(payload, self.private_key, algorithm="RS256", headers={"kid": self.kid})

    def _access_token(self, request: Request, user: dict, session_id: str) -> str:
        now = int(time.time())
        claims = {"sub": user["id"], "email": user["email"], "phone": "", "aud": "authenticated",
                  "role": "authenticated", "iss": f"{_base(request)}/auth/v1", "iat": now,
                  "exp": now + self.access_ttl_s, "session_id": session_id, "is_anonymous": False,
                  "app_metadata": user["app_metadata"], "user_metadata": user["user_metadata"],
                  "aal": "aal1", "amr": [{"method": "password", "timestamp": now}]}
        if self.jwt_secret:
            return jwt.encode(claims, self.jwt_secret, algorithm="HS256")
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})

    def _session(self, request: Request, user: dict, session_id: str | None = None) -> dict:
        session_id = session_id or str(uuid.uuid4())
        refresh = secrets.token_urlsafe(16)
        self.refresh_tokens[refresh] = (user["id"], session_id)
        user["last_sign_in_at"] = _now()
        return {"access_token": self._access_token(request, user, session_id), "token_type": "bearer",
                "expires_in": self.access_ttl_s, "expires_at": int(time.time()) + self.access_ttl_s,
                "refresh_token": refresh, "user": user}

    # --- endpoints -----------------------------------------------------------------------------------

    async def _jwks(self, request: Request) -> Response:
        self.jwks_requests += 1
        public_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        public_jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return JSONResponse({"keys": [public_jwk]})

    async def _signup(self, request: Request) -> Response:
        body = await self._body(request)
        email, password = str(body.get("email") or "").strip().lower(), str(body.get("password") or "")
        if not _EMAIL.match(email):
            raise GoTrueError(400, "validation_failed", "Unable to validate email address: invalid format")
        if len(password) < 6:
            raise GoTrueError(422, "weak_password", "Password should be at least 6 characters.")
        if email in self.users:
            raise GoTrueError(422, "user_already_exists", "User already registered")
        user_id, now = str(uuid.uuid4()), _now()
        metadata = {**(body.get("data") or {}), "email": email, "email_verified": self.autoconfirm,
                    "phone_verified": False, "sub": user_id}
        user = {"id": user_id, "aud": "authenticated", "role": "authenticated", "email": email, "phone": "",
                "email_confirmed_at": now if self.autoconfirm else None,
                "confirmed_at": now if self.autoconfirm else None, "last_sign_in_at": None,
                "app_metadata": {"provider": "email", "providers": ["email"]}, "user_metadata": metadata,
                "identities": [], "created_at": now, "updated_at": now, "is_anonymous": False}
        self.users[email], self.passwords[user_id] = user, password
        if not self.autoconfirm:
            return JSONResponse(user)  # "check your email": no session until the link is followed
        return JSONResponse(self._session(request, user))

    async def _token(self, request: Request) -> Response:
        body = await self._body(request)
        grant = request.query_params.get("grant_type")
        if grant == "password":
            user = self.users.get(str(body.get("email") or "").strip().lower())
            if user is None or self.passwords[user["id"]] != body.get("password"):
                raise GoTrueError(400, "invalid_credentials", "Invalid login credentials")
            if not user["email_confirmed_at"]:
                raise GoTrueError(400, "email_not_confirmed", "Email not confirmed")
            return JSONResponse(self._session(request, user))
        if grant == "refresh_token":
            found = self.refresh_tokens.pop(str(body.get("refresh_token") or ""), None)
            if found is None:
                raise GoTrueError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found")
            user_id, session_id = found
            return JSONResponse(self._session(request, self._by_id(user_id), session_id))
        raise GoTrueError(400, "validation_failed", f"unsupported_grant_type: {grant}")

    async def _logout(self, request: Request) -> Response:
        await self._body(request)
        claims = self._bearer_claims(request)
        scope = request.query_params.get("scope", "global")
        for token, (user_id, session_id) in list(self.refresh_tokens.items()):
            same_session = session_id == claims["session_id"]
            if user_id == claims["sub"] and (scope == "global" or (scope == "local") == same_session):
                del self.refresh_tokens[token]
        return Response(status_code=204)

    async def _user(self, request: Request) -> Response:
        body = await self._body(request)
        user = self._by_id(self._bearer_claims(request)["sub"])
        if request.method == "PUT":
            if "password" in body:
                if len(str(body["password"])) < 6:
                    raise GoTrueError(422, "weak_password", "Password should be at least 6 characters.")
                self.passwords[user["id"]] = str(body["password"])
            user["user_metadata"].update(body.get("data") or {})
            user["updated_at"] = _now()
        return JSONResponse(user)

    # --- plumbing ------------------------------------------------------------------------------------

    async def _body(self, request: Request) -> dict:
        self.calls.append(f"{request.method} {request.url.path}" + (f"?{request.url.query}" if request.url.query else ""))
        if request.headers.get("apikey") != self.anon_key:
            raise GoTrueError(401, "no_api_key", "Invalid API key")
        raw = await request.body()
        if not raw.strip():
            return {}  # GET, and the bodiless POST of a logout
        try:
            body = json.loads(raw)
        except ValueError:
            raise GoTrueError(400, "bad_json", "Could not parse request body as JSON") from None
        if not isinstance(body, dict):
            raise GoTrueError(400, "bad_json", "Could not parse request body as JSON")
        return body

    def _bearer_claims(self, request: Request) -> dict:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        try:
            if scheme.lower() != "bearer":
                raise jwt.InvalidTokenError("no bearer")
            if self.jwt_secret:
                return jwt.decode(token, self.jwt_secret, algorithms=["HS256"], audience="authenticated")
            return jwt.decode(token, self.private_key.public_key(), algorithms=["RS256"], audience="authenticated")
        except jwt.PyJWTError:
            raise GoTrueError(403, "bad_jwt", "invalid JWT: unable to parse or verify signature") from None

    def _by_id(self, user_id: str) -> dict:
        user = next((u for u in self.users.values() if u["id"] == user_id), None)
        if user is None:
            raise GoTrueError(403, "user_not_found", "User from sub claim in JWT does not exist")
        return user

    async def _error(self, request: Request, exc: GoTrueError) -> Response:
        if request.headers.get("x-supabase-api-version") == API_VERSION:
            return JSONResponse({"code": exc.code, "message": exc.message}, status_code=exc.status,
                                headers={"X-Supabase-Api-Version": API_VERSION})
        return JSONResponse({"code": exc.status, "error_code": exc.code, "msg": exc.message}, status_code=exc.status)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def sign_hs256(secret: str, *, sub: str, email: str, ttl_s: int = 3600) -> str:
    payload = {"sub": sub, "email": email, "aud": "authenticated", "role": "authenticated",
               "exp": int(time.time()) + ttl_s}
    return jwt.encode(payload, secret, algorithm="HS256")
