"""The `authenticate` dependency: bearer JWT, organization API key, or Supabase access token."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.models import User
from parley.accounts.principal import Principal
from parley.accounts.repository import UserRepository
from parley.kit.db import utcnow
from parley.kit.errors import Unauthorized
from parley.kit.security import TokenError, hash_token
from parley.orgs.api_keys import API_KEY_PREFIX
from parley.orgs.models import Role
from parley.orgs.repository import ApiKeyRepository
from parley.runtime import Runtime, get_runtime

# last_used_at is written at most this often, to keep writes off the hot path.
_TOUCH_INTERVAL = timedelta(seconds=60)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send a bearer token: 'Authorization: Bearer <token>'.", code="missing_token",
                           headers={"WWW-Authenticate": "Bearer"})
    return token.strip()


async def authenticate(request: Request, runtime: Annotated[Runtime, Depends(get_runtime)]) -> Principal:
    # Its own short transaction: a long streamed answer must not hold a pooled connection just
    # because the caller was authenticated at its start.
    token = _bearer(request)
    ip = client_ip(request)
    if token.startswith(API_KEY_PREFIX):
        async with runtime.db.session() as session:
            principal = await _from_api_key(session, token, ip)
        await runtime.limiter.check("api", f"org:{principal.key_org_id}", runtime.settings.rate_limit_api)
        return principal
    try:
        user_id = uuid.UUID(runtime.jwt.decode(token)["sub"])
    except (TokenError, ValueError) as exc:
        if runtime.supabase is None:
            raise _invalid(exc) from exc
        async with runtime.db.session() as session:
            user_id = await _from_supabase(session, runtime, token)
    await runtime.limiter.check("api", f"user:{user_id}", runtime.settings.rate_limit_api)
    return Principal(kind="user", user_id=user_id, ip=ip)


def _invalid(exc: Exception) -> Unauthorized:
    message = str(exc) if isinstance(exc, TokenError) else "The token is invalid."
    return Unauthorized(message, code="invalid_token", headers={"WWW-Authenticate": "Bearer"})


async def _from_api_key(session: AsyncSession, token: str, ip: str) -> Principal:
    keys = ApiKeyRepository(session)
    key = await keys.active_by_hash(hash_token(token))
    if key is None:
        raise Unauthorized("The API key is invalid or has been revoked.", code="invalid_api_key")
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at > _TOUCH_INTERVAL:
        await keys.touch(key.id, now)
    return Principal(kind="api_key", api_key_id=key.id, key_org_id=key.org_id, key_role=Role(key.role), ip=ip)


async def _from_supabase(session: AsyncSession, runtime: Runtime, token: str) -> uuid.UUID:
    try:
        claims = await runtime.supabase.verify(token)
    except TokenError as exc:
        raise _invalid(exc) from exc
    users = UserRepository(session)
    sub = str(claims["sub"])
    user = await users.by_supabase_sub(sub)
    if user is None:
        email = str(claims.get("email") or "").lower()
        user = await users.by_email(email) if email else None
        if user is not None and user.supabase_sub is None:
            user.supabase_sub = sub  # first Supabase sign-in of an existing account
        elif user is None:
            if not email:
                raise Unauthorized("The Supabase token carries no email.", code="invalid_token")
            name = (claims.get("user_metadata") or {}).get("full_name")
            user = await users.add(User(email=email, name=name, supabase_sub=sub))
    return user.id


Caller = Annotated[Principal, Depends(authenticate)]


async def require_user(caller: Caller) -> Principal:
    if not caller.is_user:
        raise Unauthorized("This action needs a signed-in user, not an API key.", code="user_required")
    return caller


UserCaller = Annotated[Principal, Depends(require_user)]
