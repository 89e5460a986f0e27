from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from parley.accounts.auth import Caller
from parley.bots.schemas import BotCreate, BotOut, BotUpdate
from parley.bots.service import BotService
from parley.kit.db import Session
from parley.kit.errors import error_responses
from parley.runtime import Runtime, get_runtime

router = APIRouter(prefix="/api/v1", tags=["bots"])
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ERRORS = error_responses(400, 401, 403, 404, 422, 429)


async def bot_service(session: Session, runtime: RuntimeDep) -> BotService:
    return BotService(session, embedding_model=runtime.embedder_name, embedding_dim=runtime.embedder_dim,
                      secret_box=runtime.secret_box)


Service = Annotated[BotService, Depends(bot_service)]


@router.post("/bots", status_code=201, response_model=BotOut, operation_id="createBot", responses=ERRORS)
async def create_bot(body: BotCreate, caller: Caller, service: Service):
    return await service.create(caller, body)


@router.get("/bots", response_model=list[BotOut], operation_id="listBots", responses=ERRORS)
async def list_bots(caller: Caller, service: Service, org_id: Annotated[uuid.UUID | None, Query()] = None):
    return await service.list(caller, org_id)


@router.get("/bots/{bot_id}", response_model=BotOut, operation_id="getBot", responses=ERRORS)
async def get_bot(bot_id: uuid.UUID, caller: Caller, service: Service):
    return await service.get(caller, bot_id)


@router.patch("/bots/{bot_id}", response_model=BotOut, operation_id="updateBot", responses=ERRORS)
async def update_bot(bot_id: uuid.UUID, body: BotUpdate, caller: Caller, service: Service):
    return await service.update(caller, bot_id, body)


@router.post("/bots/{bot_id}/rotate-key", response_model=BotOut, operation_id="rotateBotKey", responses=ERRORS)
async def rotate_key(bot_id: uuid.UUID, caller: Caller, service: Service):
    return await service.rotate_public_key(caller, bot_id)


@router.delete("/bots/{bot_id}", status_code=204, operation_id="deleteBot", responses=ERRORS)
async def delete_bot(bot_id: uuid.UUID, caller: Caller, service: Service):
    await service.delete(caller, bot_id)
    return Response(status_code=204)
