from __future__ import annotations

import pytest

from tests.factories import add_member, create_api_key, signup


async def test_bot_crud(client):
    owner = await signup(client)
    created = await client.post("/api/v1/bots", headers=owner.headers, json={
        "name": "Support", "allowed_origins": ["https://Example.com/", "http://localhost:3000"],
        "config": {"greeting": "Hello!", "suggested_questions": ["Where is my order?"],
                   "model": {"provider": "extractive", "temperature": 0.1}}})
    assert created.status_code == 201, created.text
    bot = created.json()
    assert bot["org_id"] == owner.org_id  # org_id is optional with a single organization
    assert bot["public_key"].startswith("pk_") and bot["embedding_dim"] == 384
    assert bot["allowed_origins"] == ["http://localhost:3000", "https://example.com"]
    assert bot["config"]["greeting"] == "Hello!" and bot["config"]["retrieval"]["k"] == 5
    patched = await client.patch(f"/api/v1/bots/{bot['id']}", headers=owner.headers,
                                 json={"name": "Support 2", "enabled": False})
    assert patched.json()["name"] == "Support 2" and patched.json()["enabled"] is False
    listed = await client.get(f"/api/v1/bots?org_id={owner.org_id}", headers=owner.headers)
    assert [b["id"] for b in listed.json()] == [bot["id"]]
    rotated = await client.post(f"/api/v1/bots/{bot['id']}/rotate-key", headers=owner.headers)
    assert rotated.json()["public_key"] != bot["public_key"]
    assert (await client.delete(f"/api/v1/bots/{bot['id']}", headers=owner.headers)).status_code == 204
    assert (await client.get(f"/api/v1/bots/{bot['id']}", headers=owner.headers)).status_code == 404
    log = (await client.get(f"/api/v1/orgs/{owner.org_id}/audit-log", headers=owner.headers)).json()
    assert {"bot.created", "bot.updated", "bot.key_rotated", "bot.deleted"} <= {e["action"] for e in log}


async def test_org_id_is_required_with_several_orgs_but_not_for_api_keys(client):
    owner = await signup(client)
    await client.post("/api/v1/orgs", headers=owner.headers, json={"name": "Second"})
    response = await client.post("/api/v1/bots", headers=owner.headers, json={"name": "x"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "org_id_required"
    key = await create_api_key(client, owner)
    by_key = await client.post("/api/v1/bots", headers={"Authorization": f"Bearer {key['key']}"}, json={"name": "x"})
    assert by_key.status_code == 201 and by_key.json()["org_id"] == owner.org_id


async def test_members_read_but_only_admins_change_bots(client):
    owner = await signup(client)
    member = await add_member(client, owner, role="member")
    bot = (await client.post("/api/v1/bots", headers=owner.headers, json={"name": "x"})).json()
    assert (await client.get(f"/api/v1/bots/{bot['id']}", headers=member.headers)).status_code == 200
    assert (await client.patch(f"/api/v1/bots/{bot['id']}", headers=member.headers,
                               json={"name": "y"})).status_code == 403
    assert (await client.delete(f"/api/v1/bots/{bot['id']}", headers=member.headers)).status_code == 403
    assert (await client.post("/api/v1/bots", headers=member.headers,
                              json={"name": "z", "org_id": owner.org_id})).status_code == 403


@pytest.mark.parametrize("body", [
    {}, {"name": ""}, {"name": "x" * 201}, {"name": "x", "allowed_origins": ["not an origin"]},
    {"name": "x", "allowed_origins": ["https://example.com/path"]}, {"name": "x", "config": {"tone": "angry"}},
    {"name": "x", "config": {"model": {"temperature": 5}}}, {"name": "x", "config": {"unknown": 1}},
    {"name": "x", "config": {"suggested_questions": ["q"] * 7}}, {"name": "x", "config": {"retrieval": {"k": 0}}},
    {"name": "x", "org_id": "not-a-uuid"}, {"name": "x", "config": {"model": {"provider": "skynet"}}},
])
async def test_bot_validation(client, body):
    owner = await signup(client)
    response = await client.post("/api/v1/bots", headers=owner.headers, json=body)
    assert response.status_code in (400, 422), response.text
    assert response.json()["error"]["message"]
