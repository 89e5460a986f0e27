from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from parley.accounts.auth import Caller, UserCaller
from parley.audit.repository import AuditRepository
from parley.kit.db import Session
from parley.kit.errors import error_responses
from parley.orgs.access import authorize
from parley.orgs.api_keys import ApiKeyService
from parley.orgs.invitations import InvitationService
from parley.orgs.models import Role
from parley.orgs.provider_keys import ProviderKeyService
from parley.orgs.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    AuditEventOut,
    InvitationAccepted,
    InvitationCreate,
    InvitationCreated,
    InvitationOut,
    LlmKeyProvider,
    MemberOut,
    OrgCreate,
    OrgOut,
    OrgUpdate,
    ProviderKeyOut,
    ProviderKeySet,
    RoleChange,
)
from parley.orgs.service import MemberService, OrgService
from parley.runtime import Runtime, get_runtime

router = APIRouter(prefix="/api/v1", tags=["organizations"])
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ORG_ERRORS = error_responses(401, 403, 404, 422, 429)


@router.post("/orgs", status_code=201, response_model=OrgOut, operation_id="createOrg",
             responses=error_responses(401, 403, 422, 429))
async def create_org(body: OrgCreate, caller: Caller, session: Session):
    return await OrgService(session).create(caller, body.name)


@router.get("/orgs", response_model=list[OrgOut], operation_id="listOrgs", responses=error_responses(401, 429))
async def list_orgs(caller: Caller, session: Session):
    return await OrgService(session).list(caller)


@router.get("/orgs/{org_id}", response_model=OrgOut, operation_id="getOrg", responses=ORG_ERRORS)
async def get_org(org_id: uuid.UUID, caller: Caller, session: Session):
    return await OrgService(session).get(caller, org_id)


@router.patch("/orgs/{org_id}", response_model=OrgOut, operation_id="updateOrg", responses=ORG_ERRORS)
async def update_org(org_id: uuid.UUID, body: OrgUpdate, caller: Caller, session: Session):
    return await OrgService(session).rename(caller, org_id, body.name)


@router.get("/orgs/{org_id}/members", response_model=list[MemberOut], operation_id="listMembers",
            responses=ORG_ERRORS)
async def list_members(org_id: uuid.UUID, caller: Caller, session: Session):
    return await MemberService(session).list(caller, org_id)


@router.patch("/orgs/{org_id}/members/{user_id}", response_model=MemberOut, operation_id="changeMemberRole",
              responses=error_responses(400, 401, 403, 404, 422, 429))
async def change_member_role(org_id: uuid.UUID, user_id: uuid.UUID, body: RoleChange, caller: Caller,
                             session: Session):
    return await MemberService(session).change_role(caller, org_id, user_id, body.role)


@router.delete("/orgs/{org_id}/members/{user_id}", status_code=204, operation_id="removeMember",
               responses=error_responses(400, 401, 403, 404, 422, 429))
async def remove_member(org_id: uuid.UUID, user_id: uuid.UUID, caller: Caller, session: Session):
    await MemberService(session).remove(caller, org_id, user_id)
    return Response(status_code=204)


@router.post("/orgs/{org_id}/invitations", status_code=201, response_model=InvitationCreated,
             operation_id="createInvitation", responses=error_responses(401, 403, 404, 409, 422, 429))
async def create_invitation(org_id: uuid.UUID, body: InvitationCreate, caller: Caller, session: Session,
                            runtime: RuntimeDep):
    return await InvitationService(session, runtime.settings).create(caller, org_id, body.email, body.role)


@router.get("/orgs/{org_id}/invitations", response_model=list[InvitationOut], operation_id="listInvitations",
            responses=ORG_ERRORS)
async def list_invitations(org_id: uuid.UUID, caller: Caller, session: Session, runtime: RuntimeDep):
    return await InvitationService(session, runtime.settings).list(caller, org_id)


@router.delete("/orgs/{org_id}/invitations/{invitation_id}", status_code=204, operation_id="revokeInvitation",
               responses=ORG_ERRORS)
async def revoke_invitation(org_id: uuid.UUID, invitation_id: uuid.UUID, caller: Caller, session: Session,
                            runtime: RuntimeDep):
    await InvitationService(session, runtime.settings).revoke(caller, org_id, invitation_id)
    return Response(status_code=204)


@router.post("/invitations/{token}/accept", response_model=InvitationAccepted, operation_id="acceptInvitation",
             responses=error_responses(401, 403, 404, 422, 429))
async def accept_invitation(token: Annotated[str, Path(max_length=200)], caller: UserCaller,
                            session: Session, runtime: RuntimeDep):
    return await InvitationService(session, runtime.settings).accept(caller, token)


@router.post("/orgs/{org_id}/api-keys", status_code=201, response_model=ApiKeyCreated, operation_id="createApiKey",
             responses=ORG_ERRORS)
async def create_api_key(org_id: uuid.UUID, body: ApiKeyCreate, caller: Caller, session: Session):
    return await ApiKeyService(session).create(caller, org_id, body.name, body.role)


@router.get("/orgs/{org_id}/api-keys", response_model=list[ApiKeyOut], operation_id="listApiKeys",
            responses=ORG_ERRORS)
async def list_api_keys(org_id: uuid.UUID, caller: Caller, session: Session):
    return await ApiKeyService(session).list(caller, org_id)


@router.delete("/orgs/{org_id}/api-keys/{key_id}", status_code=204, operation_id="revokeApiKey",
               responses=ORG_ERRORS)
async def revoke_api_key(org_id: uuid.UUID, key_id: uuid.UUID, caller: Caller, session: Session):
    await ApiKeyService(session).revoke(caller, org_id, key_id)
    return Response(status_code=204)


@router.get("/orgs/{org_id}/provider-keys", response_model=list[ProviderKeyOut], operation_id="listProviderKeys",
            responses=ORG_ERRORS)
async def list_provider_keys(org_id: uuid.UUID, caller: Caller, session: Session, runtime: RuntimeDep):
    """The LLM provider keys this organization has set (shown by their last characters only)."""
    return await ProviderKeyService(session, runtime.secret_box).list(caller, org_id)


@router.put("/orgs/{org_id}/provider-keys/{provider}", response_model=ProviderKeyOut,
            operation_id="setProviderKey", responses=ORG_ERRORS)
async def set_provider_key(org_id: uuid.UUID, provider: LlmKeyProvider, body: ProviderKeySet, caller: Caller,
                           session: Session, runtime: RuntimeDep):
    """Set (or replace) the organization's own key for an LLM provider; its bots use it from then on."""
    return await ProviderKeyService(session, runtime.secret_box).put(caller, org_id, provider, body.api_key)


@router.delete("/orgs/{org_id}/provider-keys/{provider}", status_code=204, operation_id="deleteProviderKey",
               responses=ORG_ERRORS)
async def delete_provider_key(org_id: uuid.UUID, provider: LlmKeyProvider, caller: Caller, session: Session,
                              runtime: RuntimeDep):
    await ProviderKeyService(session, runtime.secret_box).delete(caller, org_id, provider)
    return Response(status_code=204)


@router.get("/orgs/{org_id}/audit-log", response_model=list[AuditEventOut], operation_id="listAuditLog",
            responses=ORG_ERRORS)
async def audit_log(org_id: uuid.UUID, caller: Caller, session: Session,
                    limit: Annotated[int, Query(ge=1, le=200)] = 50, before: datetime | None = None):
    await authorize(session, caller, org_id, Role.admin)
    return await AuditRepository(session).list_for_org(org_id, limit=limit, before=before)
