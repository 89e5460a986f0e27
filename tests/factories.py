"""Build accounts and organizations through the public API, as a user would."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx

PASSWORD = "correct horse battery staple"


@dataclass
class Account:
    email: str
    user_id: str
    org_id: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def signup(client: httpx.AsyncClient, *, email: str | None = None, name: str = "Test User",
                 password: str = PASSWORD) -> Account:
    email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
    response = await client.post("/api/v1/auth/signup", json={"email": email, "password": password, "name": name})
    assert response.status_code == 201, response.text
    body = response.json()
    return Account(email=email, user_id=body["user"]["id"], org_id=body["organization"]["id"],
                   access_token=body["access_token"], refresh_token=body["refresh_token"])


async def create_api_key(client: httpx.AsyncClient, owner: Account, *, role: str = "admin") -> dict:
    response = await client.post(f"/api/v1/orgs/{owner.org_id}/api-keys", headers=owner.headers,
                                 json={"name": "test key", "role": role})
    assert response.status_code == 201, response.text
    return response.json()


async def add_member(client: httpx.AsyncClient, owner: Account, *, role: str = "member") -> Account:
    """Invite a fresh account into owner's org and accept; returns the new member's account."""
    member = await signup(client)
    response = await client.post(f"/api/v1/orgs/{owner.org_id}/invitations", headers=owner.headers,
                                 json={"email": member.email, "role": role})
    assert response.status_code == 201, response.text
    token = response.json()["token"]
    accepted = await client.post(f"/api/v1/invitations/{token}/accept", headers=member.headers)
    assert accepted.status_code == 200, accepted.text
    return Account(email=member.email, user_id=member.user_id, org_id=owner.org_id,
                   access_token=member.access_token, refresh_token=member.refresh_token)
