"""Create, read, change and delete bots."""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.principal import Principal
from parley.audit.service import record
from parley.bots.models import Bot
from parley.bots.repository import BotRepository
from parley.bots.schemas import BotConfig, BotCreate, BotOut, BotUpdate
from parley.bots.secrets import masked, protect
from parley.kit.errors import BadRequest, NotFound
from parley.kit.security import SecretBox
from parley.orgs.access import authorize
from parley.orgs.models import Role
from parley.orgs.repository import OrgRepository

PUBLIC_KEY_PREFIX = "pk_"


def new_public_key() -> str:
    return PUBLIC_KEY_PREFIX + secrets.token_urlsafe(18)


def bot_out(bot: Bot) -> BotOut:
    out = BotOut.model_validate(bot, from_attributes=True)
    return out.model_copy(update={"config": BotConfig.model_validate(masked(bot.config))})


def normalise_origins(origins: list[str]) -> list[str]:
    """Origins as browsers send them: scheme://host[:port], no path, no trailing slash."""
    cleaned = []
    for origin in origins:
        origin = origin.strip().rstrip("/")
        scheme, sep, rest = origin.partition("://")
        if scheme not in ("http", "https") or not sep or not rest or "/" in rest or " " in rest:
            raise BadRequest(f"'{origin}' is not an origin like https://example.com", code="invalid_origin")
        cleaned.append(f"{scheme}://{rest.lower()}")
    return sorted(set(cleaned))


class BotService:
    def __init__(self, session: AsyncSession, *, embedding_model: str, embedding_dim: int, secret_box: SecretBox) -> None:
        self.session = session
        self.box = secret_box
        self.bots = BotRepository(session)
        self.embedding_model = embedding_model
        self.embedding_dim = embedding_dim

    async def create(self, caller: Principal, body: BotCreate) -> BotOut:
        org_id = body.org_id or await self._only_org(caller)
        await authorize(self.session, caller, org_id, Role.admin)
        bot = await self.bots.add(Bot(
            org_id=org_id, name=body.name, config=protect(body.config.model_dump(mode="json"), None, self.box),
            enabled=body.enabled,
            public_key=new_public_key(), allowed_origins=normalise_origins(body.allowed_origins),
            embedding_model=self.embedding_model, embedding_dim=self.embedding_dim))
        record(self.session, "bot.created", actor=caller, org_id=org_id, target_type="bot", target_id=bot.id,
               name=bot.name)
        return bot_out(bot)

    async def list(self, caller: Principal, org_id: uuid.UUID | None) -> list[BotOut]:
        if org_id is not None:
            await authorize(self.session, caller, org_id, Role.member)
        return [bot_out(bot) for bot in await self.bots.list(caller, org_id)]

    async def get(self, caller: Principal, bot_id: uuid.UUID) -> BotOut:
        return bot_out(await self.readable(caller, bot_id))

    async def update(self, caller: Principal, bot_id: uuid.UUID, body: BotUpdate) -> BotOut:
        bot = await self.writable(caller, bot_id)
        changes = body.model_dump(exclude_unset=True, mode="json")
        if "allowed_origins" in changes:
            changes["allowed_origins"] = normalise_origins(changes["allowed_origins"])
        if "config" in changes:
            changes["config"] = protect(changes["config"], bot.config, self.box)
        for field, value in changes.items():
            setattr(bot, field, value)
        await self.session.flush()
        record(self.session, "bot.updated", actor=caller, org_id=bot.org_id, target_type="bot", target_id=bot.id,
               fields=sorted(changes))
        return bot_out(bot)

    async def rotate_public_key(self, caller: Principal, bot_id: uuid.UUID) -> BotOut:
        bot = await self.writable(caller, bot_id)
        bot.public_key = new_public_key()
        record(self.session, "bot.key_rotated", actor=caller, org_id=bot.org_id, target_type="bot",
               target_id=bot.id)
        return bot_out(bot)

    async def delete(self, caller: Principal, bot_id: uuid.UUID) -> None:
        bot = await self.writable(caller, bot_id)
        record(self.session, "bot.deleted", actor=caller, org_id=bot.org_id, target_type="bot", target_id=bot.id,
               name=bot.name)
        await self.bots.delete(bot)

    async def readable(self, caller: Principal, bot_id: uuid.UUID) -> Bot:
        bot = await self.bots.get(caller, bot_id)
        if bot is None:
            raise NotFound("Bot not found.", code="bot_not_found")
        return bot

    async def writable(self, caller: Principal, bot_id: uuid.UUID) -> Bot:
        bot = await self.bots.get(caller, bot_id, for_update=True)
        if bot is None:
            raise NotFound("Bot not found.", code="bot_not_found")
        await authorize(self.session, caller, bot.org_id, Role.admin)
        return bot

    async def _only_org(self, caller: Principal) -> uuid.UUID:
        if caller.kind == "api_key":
            return caller.key_org_id
        orgs = await OrgRepository(self.session).list_with_roles(caller)
        if len(orgs) != 1:
            raise BadRequest("You belong to several organizations: say which one with org_id.",
                             code="org_id_required")
        return orgs[0][0].id
