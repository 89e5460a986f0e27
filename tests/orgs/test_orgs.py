from __future__ import annotations

from tests.factories import add_member, create_api_key, signup


async def test_invite_accept_and_member_list(client):
    owner = await signup(client)
    member = await add_member(client, owner, role="member")
    members = await client.get(f"/api/v1/orgs/{owner.org_id}/members", headers=member.headers)
    assert members.status_code == 200
    assert {m["email"]: m["role"] for m in members.json()} == {owner.email: "owner", member.email: "member"}


async def test_invitation_link_is_returned_and_single_use(client):
    owner = await signup(client)
    invitee = await signup(client)
    created = await client.post(f"/api/v1/orgs/{owner.org_id}/invitations", headers=owner.headers,
                                json={"email": invitee.email})
    body = created.json()
    assert body["invite_url"].endswith(body["token"]) and body["email_sent"] is False
    assert (await client.post(f"/api/v1/invitations/{body['token']}/accept", headers=invitee.headers)).status_code == 200
    again = await client.post(f"/api/v1/invitations/{body['token']}/accept", headers=invitee.headers)
    assert again.status_code == 404


async def test_invitation_for_someone_else_is_refused(client):
    owner = await signup(client)
    intruder = await signup(client)
    created = await client.post(f"/api/v1/orgs/{owner.org_id}/invitations", headers=owner.headers,
                                json={"email": "someone-else@example.com"})
    response = await client.post(f"/api/v1/invitations/{created.json()['token']}/accept", headers=intruder.headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "invitation_email_mismatch"


async def test_revoked_invitation_cannot_be_accepted(client):
    owner = await signup(client)
    invitee = await signup(client)
    created = (await client.post(f"/api/v1/orgs/{owner.org_id}/invitations", headers=owner.headers,
                                 json={"email": invitee.email})).json()
    revoke = await client.delete(f"/api/v1/orgs/{owner.org_id}/invitations/{created['id']}", headers=owner.headers)
    assert revoke.status_code == 204
    assert (await client.post(f"/api/v1/invitations/{created['token']}/accept",
                              headers=invitee.headers)).status_code == 404


async def test_roles_are_enforced(client):
    owner = await signup(client)
    member = await add_member(client, owner, role="member")
    admin = await add_member(client, owner, role="admin")
    # Members can read but not administer.
    assert (await client.get(f"/api/v1/orgs/{owner.org_id}", headers=member.headers)).status_code == 200
    for method, path, body in [
        ("post", f"/api/v1/orgs/{owner.org_id}/api-keys", {"name": "k"}),
        ("get", f"/api/v1/orgs/{owner.org_id}/api-keys", None),
        ("post", f"/api/v1/orgs/{owner.org_id}/invitations", {"email": "x@example.com"}),
        ("get", f"/api/v1/orgs/{owner.org_id}/audit-log", None),
        ("patch", f"/api/v1/orgs/{owner.org_id}", {"name": "Mine now"}),
        ("patch", f"/api/v1/orgs/{owner.org_id}/members/{admin.user_id}", {"role": "member"}),
    ]:
        response = await client.request(method, path, headers=member.headers, json=body)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["error"]["code"] == "forbidden"
    # Admins can't hand out ownership or remove an owner.
    promote = await client.patch(f"/api/v1/orgs/{owner.org_id}/members/{member.user_id}", headers=admin.headers,
                                 json={"role": "owner"})
    assert promote.status_code == 403
    remove_owner = await client.delete(f"/api/v1/orgs/{owner.org_id}/members/{owner.user_id}", headers=admin.headers)
    assert remove_owner.status_code == 403
    # ...but they can manage members.
    demote = await client.patch(f"/api/v1/orgs/{owner.org_id}/members/{member.user_id}", headers=admin.headers,
                                json={"role": "admin"})
    assert demote.status_code == 200 and demote.json()["role"] == "admin"


async def test_last_owner_cannot_leave_or_be_demoted(client):
    owner = await signup(client)
    demote = await client.patch(f"/api/v1/orgs/{owner.org_id}/members/{owner.user_id}", headers=owner.headers,
                                json={"role": "admin"})
    assert demote.status_code == 400 and demote.json()["error"]["code"] == "last_owner"
    leave = await client.delete(f"/api/v1/orgs/{owner.org_id}/members/{owner.user_id}", headers=owner.headers)
    assert leave.status_code == 400


async def test_member_can_leave_and_loses_access(client):
    owner = await signup(client)
    member = await add_member(client, owner)
    assert (await client.delete(f"/api/v1/orgs/{owner.org_id}/members/{member.user_id}",
                                headers=member.headers)).status_code == 204
    assert (await client.get(f"/api/v1/orgs/{owner.org_id}", headers=member.headers)).status_code == 404


async def test_api_key_lifecycle(client):
    owner = await signup(client)
    key = await create_api_key(client, owner)
    assert key["key"].startswith(key["prefix"]) and key["key"].startswith("prl_")
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {key['key']}"})
    assert me.status_code == 200
    assert me.json()["api_key"]["id"] == key["id"] and me.json()["organizations"][0]["id"] == owner.org_id
    listed = (await client.get(f"/api/v1/orgs/{owner.org_id}/api-keys", headers=owner.headers)).json()
    assert "key" not in listed[0] and listed[0]["last_used_at"] is not None
    assert (await client.delete(f"/api/v1/orgs/{owner.org_id}/api-keys/{key['id']}",
                                headers=owner.headers)).status_code == 204
    revoked = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {key['key']}"})
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "invalid_api_key"


async def test_api_key_is_stored_only_as_a_digest(client, session):
    from sqlalchemy import text

    owner = await signup(client)
    key = await create_api_key(client, owner)
    stored = (await session.execute(text("SELECT prefix, key_hash FROM api_keys WHERE id = :id"),
                                    {"id": key["id"]})).one()
    assert stored.prefix == key["prefix"] and key["key"] not in stored.key_hash


async def test_api_key_cannot_exceed_its_creators_role(client):
    owner = await signup(client)
    admin = await add_member(client, owner, role="admin")
    response = await client.post(f"/api/v1/orgs/{owner.org_id}/api-keys", headers=admin.headers,
                                 json={"name": "k", "role": "owner"})
    assert response.status_code == 403


async def test_audit_log_records_security_events(client):
    owner = await signup(client)
    await client.post("/api/v1/auth/login", json={"email": owner.email, "password": "correct horse battery staple"})
    key = await create_api_key(client, owner)
    await client.delete(f"/api/v1/orgs/{owner.org_id}/api-keys/{key['id']}", headers=owner.headers)
    member = await add_member(client, owner)
    await client.patch(f"/api/v1/orgs/{owner.org_id}/members/{member.user_id}", headers=owner.headers,
                       json={"role": "admin"})
    await client.delete(f"/api/v1/orgs/{owner.org_id}/members/{member.user_id}", headers=owner.headers)
    log = (await client.get(f"/api/v1/orgs/{owner.org_id}/audit-log", headers=owner.headers)).json()
    actions = {event["action"] for event in log}
    assert {"auth.login", "api_key.created", "api_key.revoked", "member.joined", "member.role_changed",
            "member.removed", "invitation.created"} <= actions


async def test_create_and_rename_org(client):
    owner = await signup(client)
    created = await client.post("/api/v1/orgs", headers=owner.headers, json={"name": "Second"})
    assert created.status_code == 201 and created.json()["role"] == "owner"
    renamed = await client.patch(f"/api/v1/orgs/{created.json()['id']}", headers=owner.headers, json={"name": "2nd"})
    assert renamed.json()["name"] == "2nd"
    assert len((await client.get("/api/v1/orgs", headers=owner.headers)).json()) == 2


async def test_provider_key_lifecycle_roles_and_encryption(client, session):
    from sqlalchemy import text

    owner = await signup(client)
    member = await add_member(client, owner, role="member")
    url = f"/api/v1/orgs/{owner.org_id}/provider-keys"
    assert (await client.put(f"{url}/groq", headers=member.headers, json={"api_key": "gsk_member_key"})).status_code == 403
    first = await client.put(f"{url}/groq", headers=owner.headers, json={"api_key": "  gsk_first_key_aaaa  "})
    assert first.status_code == 200 and first.json()["hint"] == "…aaaa"
    replaced = await client.put(f"{url}/groq", headers=owner.headers, json={"api_key": "gsk_second_key_bbbb"})
    assert replaced.json()["hint"] == "…bbbb"
    listed = (await client.get(url, headers=owner.headers)).json()
    assert [(k["provider"], k["hint"]) for k in listed] == [("groq", "…bbbb")]
    assert "api_key" not in listed[0] and "encrypted_key" not in listed[0]
    stored = (await session.execute(text("SELECT encrypted_key FROM provider_keys"))).scalars().all()
    assert len(stored) == 1 and "gsk_second_key_bbbb" not in stored[0]
    events = [e["action"] for e in (await client.get(f"/api/v1/orgs/{owner.org_id}/audit-log",
                                                       headers=owner.headers)).json()]
    assert events.count("provider_key.set") == 2
    assert (await client.delete(f"{url}/groq", headers=owner.headers)).status_code == 204
    assert (await client.get(url, headers=owner.headers)).json() == []
