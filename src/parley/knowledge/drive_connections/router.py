from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse

from parley.accounts.auth import Caller
from parley.kit.db import Session
from parley.kit.errors import AppError, error_responses
from parley.knowledge.drive_connections.schemas import (
    DriveConnectionList,
    DriveConnectionOut,
    OAuthStart,
    OAuthStartOut,
    ServiceAccountConnectionCreate,
)
from parley.knowledge.drive_connections.service import DriveConnectionService
from parley.runtime import Runtime, get_runtime

router = APIRouter(prefix="/api/v1", tags=["google-drive"])
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ERRORS = error_responses(400, 401, 403, 404, 422, 429)
DASHBOARD_DEFAULT = "/bots/"


@router.get("/orgs/{org_id}/drive/connections", response_model=DriveConnectionList,
            operation_id="listDriveConnections", responses=ERRORS)
async def list_connections(org_id: uuid.UUID, caller: Caller, session: Session, runtime: RuntimeDep):
    return DriveConnectionList(connections=await DriveConnectionService(session, runtime).list(caller, org_id))


@router.post("/orgs/{org_id}/drive/connections/service-account", status_code=201,
             response_model=DriveConnectionOut, operation_id="createDriveServiceAccountConnection", responses=ERRORS)
async def create_service_account_connection(org_id: uuid.UUID, body: ServiceAccountConnectionCreate,
                                            caller: Caller, session: Session, runtime: RuntimeDep):
    """Connect Drive with a service-account key: checked, verified with Google, then stored encrypted."""
    return await DriveConnectionService(session, runtime).add_service_account(caller, org_id, body.key)


@router.delete("/orgs/{org_id}/drive/connections/{connection_id}", status_code=204,
               operation_id="deleteDriveConnection", responses=ERRORS)
async def delete_connection(org_id: uuid.UUID, connection_id: uuid.UUID, caller: Caller, session: Session,
                            runtime: RuntimeDep):
    await DriveConnectionService(session, runtime).delete(caller, org_id, connection_id)
    return Response(status_code=204)


@router.post("/orgs/{org_id}/drive/oauth/start", response_model=OAuthStartOut, operation_id="startDriveOAuth",
             responses=ERRORS)
async def start_oauth(org_id: uuid.UUID, caller: Caller, session: Session, runtime: RuntimeDep,
                      body: OAuthStart | None = None):
    """The Google consent URL to open; Google then sends the browser to the callback below."""
    url = await DriveConnectionService(session, runtime).oauth_start(caller, org_id,
                                                                     body.return_to if body else None)
    return OAuthStartOut(authorization_url=url)


@router.get("/drive/oauth/callback", operation_id="driveOAuthCallback",
            responses={200: {"model": DriveConnectionOut}, 303: {"description": "Back to the dashboard"},
                       **error_responses(400, 403, 404)})
async def oauth_callback(request: Request, session: Session, runtime: RuntimeDep,
                         code: Annotated[str | None, Query(max_length=2000)] = None,
                         state: Annotated[str | None, Query(max_length=4000)] = None,
                         error: Annotated[str | None, Query(max_length=200)] = None):
    """Where Google sends the browser back: stores the grant, then returns to the dashboard
    (or answers JSON when asked with `Accept: application/json`)."""
    service = DriveConnectionService(session, runtime)
    wants_json = "application/json" in request.headers.get("accept", "")
    try:
        result = await service.oauth_callback(code=code, state=state, error=error)
    except AppError as exc:
        if wants_json:
            raise
        return _back(runtime, service.return_to(state), {"drive_error": exc.message})
    if wants_json:
        return result.connection
    return _back(runtime, result.return_to, {"drive": "connected", "connection": str(result.connection.id)})


def _back(runtime: Runtime, return_to: str | None, params: dict[str, str]) -> RedirectResponse:
    path = return_to if return_to and return_to.startswith("/") and not return_to.startswith("//") \
        else DASHBOARD_DEFAULT
    separator = "&" if "?" in path else "?"
    base = runtime.settings.public_url.rstrip("/")
    return RedirectResponse(f"{base}{path}{separator}{urlencode(params)}", status_code=303)
