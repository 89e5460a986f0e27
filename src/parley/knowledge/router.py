from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from pydantic import TypeAdapter, ValidationError

from parley.accounts.auth import Caller
from parley.kit.db import Session
from parley.kit.errors import Unprocessable, error_responses
from parley.knowledge.schemas import SearchRequest, SearchResponse, SourceCreate, SourceList, SourceOut
from parley.knowledge.service import KnowledgeService
from parley.knowledge.uploads import UploadReceiver
from parley.runtime import Runtime, get_runtime

router = APIRouter(prefix="/api/v1/bots/{bot_id}", tags=["knowledge"])
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ERRORS = error_responses(400, 401, 403, 404, 413, 415, 422, 429)
_SOURCE_CREATE = TypeAdapter(SourceCreate)


def openapi_schemas() -> dict:
    """The JSON body of createSources (read by hand, so FastAPI doesn't list its models itself)."""
    schema = _SOURCE_CREATE.json_schema(ref_template="#/components/schemas/{model}")
    return {**schema.pop("$defs", {}), "SourceCreate": schema}
_UPLOAD_DOC = {"requestBody": {"content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}},
    "application/json": {"schema": {"$ref": "#/components/schemas/SourceCreate"}}}}}


@router.post("/sources", status_code=201, response_model=SourceList, operation_id="createSources",
             responses=ERRORS, openapi_extra=_UPLOAD_DOC)
async def create_sources(bot_id: uuid.UUID, request: Request, caller: Caller, session: Session,
                         runtime: RuntimeDep):
    """Upload files (multipart, field `files`), or add text, Q&A pairs, a URL, a site crawl or Drive (JSON)."""
    service = KnowledgeService(session, runtime)
    if request.headers.get("content-type", "").startswith("multipart/"):
        await service.bot(caller, bot_id)  # refuse before reading any upload bytes
        settings = runtime.settings
        receiver = UploadReceiver(max_file_bytes=settings.upload_max_mb * 1024 * 1024,
                                  max_files=settings.upload_max_files)
        try:
            uploads = await receiver.receive(request)
            return SourceList(sources=await service.add_files(caller, bot_id, uploads))
        finally:
            receiver.cleanup()
    try:
        body = _SOURCE_CREATE.validate_json(await request.body())
    except ValidationError as exc:
        raise Unprocessable("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
                            or "Invalid source.") from exc
    return SourceList(sources=[await service.add(caller, bot_id, body)])


@router.get("/sources", response_model=SourceList, operation_id="listSources", responses=ERRORS)
async def list_sources(bot_id: uuid.UUID, caller: Caller, session: Session, runtime: RuntimeDep,
                       limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0):
    return SourceList(sources=await KnowledgeService(session, runtime).list(caller, bot_id, limit=limit,
                                                                            offset=offset))


@router.get("/sources/{source_id}", response_model=SourceOut, operation_id="getSource", responses=ERRORS)
async def get_source(bot_id: uuid.UUID, source_id: uuid.UUID, caller: Caller, session: Session,
                     runtime: RuntimeDep):
    return await KnowledgeService(session, runtime).get(caller, bot_id, source_id)


@router.delete("/sources/{source_id}", status_code=204, operation_id="deleteSource", responses=ERRORS)
async def delete_source(bot_id: uuid.UUID, source_id: uuid.UUID, caller: Caller, session: Session,
                        runtime: RuntimeDep):
    await KnowledgeService(session, runtime).delete(caller, bot_id, source_id)
    return Response(status_code=204)


@router.post("/sources/{source_id}/resync", response_model=SourceOut, operation_id="resyncSource",
             responses=ERRORS)
async def resync_source(bot_id: uuid.UUID, source_id: uuid.UUID, caller: Caller, session: Session,
                        runtime: RuntimeDep):
    return await KnowledgeService(session, runtime).resync(caller, bot_id, source_id)


@router.post("/search", response_model=SearchResponse, operation_id="searchKnowledge", responses=ERRORS)
async def search(bot_id: uuid.UUID, body: Annotated[SearchRequest, Body()], caller: Caller, session: Session,
                 runtime: RuntimeDep):
    hits = await KnowledgeService(session, runtime).search(caller, bot_id, body.query, body.k, body.mode)
    return SearchResponse(hits=hits)
