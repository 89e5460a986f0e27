"""The tenant-isolation matrix: a member of org A gets 404 on every org-B resource, by every route.

Grow ROUTES with each new endpoint that takes an org or resource id.
"""

from __future__ import annotations

import pytest

from tests.factories import create_api_key, signup

# (method, path template, json body). Placeholders are filled from org B's data.
ROUTES = [
    ("get", "/api/v1/orgs/{org}", None),
    ("patch", "/api/v1/orgs/{org}", {"name": "pwned"}),
    ("get", "/api/v1/orgs/{org}/members", None),
    ("patch", "/api/v1/orgs/{org}/members/{user}", {"role": "member"}),
    ("delete", "/api/v1/orgs/{org}/members/{user}", None),
    ("post", "/api/v1/orgs/{org}/invitations", {"email": "spy@example.com"}),
    ("get", "/api/v1/orgs/{org}/invitations", None),
    ("delete", "/api/v1/orgs/{org}/invitations/{invitation}", None),
    ("post", "/api/v1/orgs/{org}/api-keys", {"name": "spy"}),
    ("get", "/api/v1/orgs/{org}/api-keys", None),
    ("delete", "/api/v1/orgs/{org}/api-keys/{key}", None),
    ("get", "/api/v1/orgs/{org}/audit-log", None),
]


@pytest.fixture
async def two_tenants(client):
    alice = await signup(client)
    bob = await signup(client)
    key_b = await create_api_key(client, bob)
    invitation_b = (await client.post(f"/api/v1/orgs/{bob.org_id}/invitations", headers=bob.headers,
                                      json={"email": "friend@example.com"})).json()
    alice_key = await create_api_key(client, alice)
    ids = {"org": bob.org_id, "user": bob.user_id, "key": key_b["id"], "invitation": invitation_b["id"]}
    return alice, alice_key, bob, ids


@pytest.mark.parametrize(("method", "template", "body"), ROUTES)
async def test_other_org_is_invisible_to_users_and_api_keys(client, two_tenants, method, template, body):
    alice, alice_key, bob, ids = two_tenants
    path = template.format(**ids)
    for headers in (alice.headers, {"Authorization": f"Bearer {alice_key['key']}"}):
        response = await client.request(method, path, headers=headers, json=body)
        assert response.status_code == 404, (path, response.status_code, response.text)
        assert response.json()["error"]["code"] in {"org_not_found", "not_found"}
    # Nothing changed for Bob.
    still = await client.get(f"/api/v1/orgs/{bob.org_id}", headers=bob.headers)
    assert still.status_code == 200 and still.json()["name"] != "pwned"
    keys = (await client.get(f"/api/v1/orgs/{bob.org_id}/api-keys", headers=bob.headers)).json()
    assert all(k["revoked_at"] is None for k in keys)


async def test_me_never_lists_foreign_orgs(client, two_tenants):
    alice, alice_key, bob, _ = two_tenants
    for headers in (alice.headers, {"Authorization": f"Bearer {alice_key['key']}"}):
        orgs = (await client.get("/api/v1/me", headers=headers)).json()["organizations"]
        assert bob.org_id not in {o["id"] for o in orgs}
