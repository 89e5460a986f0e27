"""The tenant-isolation matrix: a member of org A gets 404 on every org-B resource, by every route.

Grow ROUTES with each new endpoint that takes an org or resource id.
"""

from __future__ import annotations

import pytest

from tests.factories import create_api_key, signup
from tests.knowledge.helpers import add_source, create_bot, ingest, search
from tests.voice.factories import add_recording

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
    ("get", "/api/v1/orgs/{org}/provider-keys", None),
    ("put", "/api/v1/orgs/{org}/provider-keys/groq", {"api_key": "gsk_stolen_key"}),
    ("delete", "/api/v1/orgs/{org}/provider-keys/groq", None),
    ("get", "/api/v1/bots/{bot}", None),
    ("patch", "/api/v1/bots/{bot}", {"name": "pwned"}),
    ("delete", "/api/v1/bots/{bot}", None),
    ("post", "/api/v1/bots/{bot}/rotate-key", None),
    ("get", "/api/v1/bots?org_id={org}", None),
    ("post", "/api/v1/bots", {"name": "spy", "org_id": "{org}"}),
    ("get", "/api/v1/bots/{bot}/sources", None),
    ("post", "/api/v1/bots/{bot}/sources", {"type": "text", "text": "injected"}),
    ("get", "/api/v1/bots/{bot}/sources/{source}", None),
    ("delete", "/api/v1/bots/{bot}/sources/{source}", None),
    ("post", "/api/v1/bots/{bot}/sources/{source}/resync", None),
    ("post", "/api/v1/bots/{bot}/search", {"query": "secret"}),
    ("get", "/api/v1/orgs/{org}/drive/connections", None),
    ("post", "/api/v1/orgs/{org}/drive/connections/service-account", {"key": {"type": "service_account"}}),
    # Any id: the org check comes first (tests/knowledge/test_drive_sources.py tries a real foreign connection).
    ("delete", "/api/v1/orgs/{org}/drive/connections/{source}", None),
    ("post", "/api/v1/orgs/{org}/drive/oauth/start", None),
    ("post", "/api/v1/bots/{bot}/sources", {"type": "gdrive", "connection_id": "{source}", "folder_id": "f"}),
    ("get", "/api/v1/conversations/{conversation}/recordings", None),
    ("get", "/api/v1/conversations/{conversation}/recordings/{recording}", None),
]


@pytest.fixture
async def two_tenants(client, session):
    alice = await signup(client)
    bob = await signup(client)
    key_b = await create_api_key(client, bob)
    invitation_b = (await client.post(f"/api/v1/orgs/{bob.org_id}/invitations", headers=bob.headers,
                                      json={"email": "friend@example.com"})).json()
    alice_key = await create_api_key(client, alice)
    bot_b = await create_bot(client, bob)
    source_b = await add_source(client, bob, bot_b["id"], {"type": "text", "text": "Bob's secret plans."})
    recording_b = await add_recording(session, bot_b)
    ids = {"org": bob.org_id, "user": bob.user_id, "key": key_b["id"], "invitation": invitation_b["id"],
           "bot": bot_b["id"], "source": source_b["id"], "conversation": recording_b.conversation_id,
           "recording": recording_b.id}
    return alice, alice_key, bob, ids


@pytest.mark.parametrize(("method", "template", "body"), ROUTES)
async def test_other_org_is_invisible_to_users_and_api_keys(client, two_tenants, method, template, body):
    alice, alice_key, bob, ids = two_tenants
    path = template.format(**ids)
    body = {k: (v.format(**ids) if isinstance(v, str) else v) for k, v in body.items()} if body else body
    for headers in (alice.headers, {"Authorization": f"Bearer {alice_key['key']}"}):
        response = await client.request(method, path, headers=headers, json=body)
        assert response.status_code == 404, (path, response.status_code, response.text)
        assert response.json()["error"]["code"] in {"org_not_found", "not_found", "bot_not_found",
                                                    "conversation_not_found", "recording_not_found"}
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


async def test_search_never_returns_another_orgs_chunks_even_for_identical_text(client, runtime):
    text = "The launch code for project Bluebird is 7-4-1-9."
    alice, bob = await signup(client), await signup(client)
    bot_a, bot_b = await create_bot(client, alice), await create_bot(client, bob)
    source_a = await add_source(client, alice, bot_a["id"], {"type": "text", "name": "alice-doc", "text": text})
    source_b = await add_source(client, bob, bot_b["id"], {"type": "text", "name": "bob-doc", "text": text})
    await ingest(client, runtime, alice, bot_a["id"], source_a)
    await ingest(client, runtime, bob, bot_b["id"], source_b)
    for mode in ("hybrid", "dense", "lexical"):
        hits = await search(client, alice, bot_a["id"], "launch code Bluebird", k=50, mode=mode)
        assert hits and {h["source"] for h in hits} == {"alice-doc"}, mode
        assert {h["source_id"] for h in hits} == {source_a["id"]}
