"""Who may use a bot's widget: its public key, from one of its allowed origins, with a visitor token."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parley.bots.models import Bot
from parley.config import Settings
from parley.kit.errors import AppError, Forbidden, NotFound, Unauthorized
from parley.kit.security import JwtCodec, TokenError, derive_key

VISITOR_TOKEN = "visitor"


@dataclass(frozen=True)
class Visitor:
    bot_id: uuid.UUID
    org_id: uuid.UUID
    visitor_id: str


async def bot_by_public_key(session: AsyncSession, key: str) -> Bot:
    bot = await session.scalar(select(Bot).where(Bot.public_key == key))
    if bot is None or not bot.enabled:
        raise NotFound("This chat widget is not available (unknown key or bot disabled).", code="bot_not_found")
    return bot


async def visitor_bot(session: AsyncSession, visitor: Visitor) -> Bot:
    """The bot a visitor token was issued for, while it is still enabled."""
    bot = await session.get(Bot, visitor.bot_id)
    if bot is None or not bot.enabled or bot.org_id != visitor.org_id:
        raise NotFound("This chat widget is not available.", code="bot_not_found")
    return bot


def own_origins(settings: Settings, request_base_url: str) -> set[str]:
    origins = set()
    for url in (settings.public_url, request_base_url):
        parts = urlsplit(url)
        scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)  # a socket's own page
        if scheme and parts.netloc:
            origins.add(f"{scheme}://{parts.netloc}".lower())
    return origins


def check_origin(bot: Bot, origin: str | None, own: set[str]) -> None:
    """Browsers always send Origin on these requests; Parley's own pages (preview) are always allowed."""
    if origin is None:
        return  # not a browser: origin checks protect visitors' browsers, not server-to-server calls
    origin = origin.lower().rstrip("/")
    if origin in own or origin in bot.allowed_origins:
        return
    raise Forbidden(f"This website ({origin}) is not allowed to use this chat widget. "
                    "Add it to the bot's allowed origins.", code="origin_not_allowed")


def check_embedder(bot: Bot, origin: str | None, host: str | None, own: set[str]) -> None:
    """The chat frame's own calls carry Parley's origin (or none, on a same-origin GET), so it also names
    the page it is embedded in (`host`). That page must be allowed too: on any other, the frame won't start."""
    check_origin(bot, origin, own)
    if host is not None:
        check_origin(bot, host, own)


def identity_secret(secret: bytes, bot_id: uuid.UUID) -> str:
    return derive_key(secret, f"identity:{bot_id}").hex()


def verify_identity(secret: bytes, bot_id: uuid.UUID, user_id: str, given_hash: str) -> bool:
    expected = hmac.new(identity_secret(secret, bot_id).encode(), user_id.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given_hash.lower())


def issue_visitor_token(jwt: JwtCodec, visitor: Visitor, ttl_s: int) -> str:
    return jwt.encode(visitor.visitor_id, ttl_s=ttl_s, token_type=VISITOR_TOKEN, bot=str(visitor.bot_id),
                      org=str(visitor.org_id))


def read_visitor_token(jwt: JwtCodec, token: str | None) -> Visitor:
    if not token:
        raise Unauthorized("A visitor token is required.", code="missing_token")
    try:
        claims = jwt.decode(token, token_type=VISITOR_TOKEN)
        return Visitor(bot_id=uuid.UUID(claims["bot"]), org_id=uuid.UUID(claims["org"]), visitor_id=claims["sub"])
    except TokenError as exc:
        code = "token_expired" if "expired" in str(exc) else "invalid_token"
        raise Unauthorized(str(exc), code=code) from exc
    except (KeyError, ValueError) as exc:
        raise Unauthorized("The token is invalid.", code="invalid_token") from exc


def cors_headers(origin: str | None) -> dict[str, str]:
    if not origin:
        return {}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin",
            "Access-Control-Allow-Credentials": "false"}


def error_cors(exc: AppError, origin: str | None) -> AppError:
    exc.headers = {**(exc.headers or {}), **cors_headers(origin)}
    return exc
