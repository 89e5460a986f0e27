from __future__ import annotations

import hashlib
import hmac
import json

import pytest
import websockets

from parley.widget.access import identity_secret
from tests.chat.helpers import bot_with_knowledge, parse_sse

SITE = "https://shop.example.com"


@pytest.fixture
async def widget_bot(client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    bot = (await client.patch(f"/api/v1/bots/{bot['id']}", headers=owner.headers,
                              json={"allowed_origins": [SITE]})).json()
    return owner, bot


async def _session(client, bot, origin=SITE, **extra):
    response = await client.post("/api/v1/widget/session", headers={"Origin": origin},
                                 json={"key": bot["public_key"], **extra})
    return response


async def test_config_is_served_to_allowed_origins_only(client, widget_bot):
    _, bot = widget_bot
    ok = await client.get(f"/api/v1/widget/config?key={bot['public_key']}", headers={"Origin": SITE})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == SITE
    assert ok.json()["bot"]["greeting"] and ok.json()["bot"]["appearance"]["primary_color"].startswith("#")
    assert "max-age" in ok.headers["cache-control"]
    evil = await client.get(f"/api/v1/widget/config?key={bot['public_key']}", headers={"Origin": "https://evil.test"})
    assert evil.status_code == 403 and evil.json()["error"]["code"] == "origin_not_allowed"
    unknown = await client.get("/api/v1/widget/config?key=pk_unknown", headers={"Origin": SITE})
    assert unknown.status_code == 404


async def test_the_chat_frame_starts_only_for_an_allowed_host_page(client, widget_bot):
    _, bot = widget_bot
    config = f"/api/v1/widget/config?key={bot['public_key']}&host="
    # The frame's GET is same-origin: no Origin header, or Parley's own.
    for headers in ({}, {"Origin": "http://testserver"}):
        assert (await client.get(config + SITE, headers=headers)).status_code == 200
        refused = await client.get(config + "https://evil.test", headers=headers)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "origin_not_allowed"
        assert (await client.get(config + "null", headers=headers)).status_code == 403  # a sandboxed page
    # Opened on its own (the dashboard's preview), the frame names Parley's origin as its host.
    assert (await client.get(config + "http://testserver")).status_code == 200


async def test_disabled_bot_has_no_widget(client, widget_bot):
    owner, bot = widget_bot
    await client.patch(f"/api/v1/bots/{bot['id']}", headers=owner.headers, json={"enabled": False})
    response = await client.get(f"/api/v1/widget/config?key={bot['public_key']}", headers={"Origin": SITE})
    assert response.status_code == 404


async def test_session_sse_chat_history_and_feedback(client, widget_bot):
    _, bot = widget_bot
    session = await _session(client, bot)
    assert session.status_code == 200, session.text
    token = session.json()["token"]
    auth = {"Authorization": f"Bearer {token}", "Origin": SITE}
    streamed = await client.post("/api/v1/widget/chat", headers=auth,
                                 json={"message": "Is shipping free?", "client_id": "c1"})
    events = parse_sse(streamed.text)
    assert events[0]["type"] == "start" and events[-1]["type"] == "done"
    history = (await client.get("/api/v1/widget/conversation", headers=auth)).json()
    assert [m["role"] for m in history["messages"]] == ["user", "assistant"]
    answer_id = history["messages"][1]["id"]
    assert (await client.post(f"/api/v1/widget/messages/{answer_id}/feedback", headers=auth,
                              json={"rating": 1})).status_code == 204
    # The same visitor id finds the conversation again after a reload.
    again = await _session(client, bot, visitor_id=session.json()["visitor_id"])
    assert again.json()["conversation_id"] == history["conversation_id"]


async def test_another_visitor_cannot_read_or_rate_someone_elses_conversation(client, widget_bot):
    _, bot = widget_bot
    first = (await _session(client, bot)).json()
    auth = {"Authorization": f"Bearer {first['token']}"}
    await client.post("/api/v1/widget/chat", headers=auth, json={"message": "Is shipping free?"})
    answer = (await client.get("/api/v1/widget/conversation", headers=auth)).json()["messages"][1]
    other = (await _session(client, bot)).json()
    other_auth = {"Authorization": f"Bearer {other['token']}"}
    assert (await client.get("/api/v1/widget/conversation", headers=other_auth)).json()["messages"] == []
    assert (await client.post(f"/api/v1/widget/messages/{answer['id']}/feedback", headers=other_auth,
                              json={"rating": -1})).status_code == 404
    hijack = await client.post("/api/v1/widget/chat", headers=other_auth,
                               json={"message": "hi", "conversation_id": first["conversation_id"] or answer["id"]})
    assert hijack.status_code == 404


async def test_identity_verification(client, widget_bot, runtime):
    _, bot = widget_bot
    secret = identity_secret(runtime.settings.secret, __import__("uuid").UUID(bot["id"]))
    good = hmac.new(secret.encode(), b"user-42", hashlib.sha256).hexdigest()
    verified = await _session(client, bot, identity={"id": "user-42", "hash": good})
    assert verified.status_code == 200 and verified.json()["visitor_id"] == "u_user-42"
    forged = await _session(client, bot, identity={"id": "user-43", "hash": good})
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "identity_invalid"


async def test_leads_and_handoff_from_the_widget(client, widget_bot):
    owner, bot = widget_bot
    auth = {"Authorization": f"Bearer {(await _session(client, bot)).json()['token']}"}
    assert (await client.post("/api/v1/widget/leads", headers=auth,
                              json={"name": "Ada", "email": "ada@example.com"})).status_code == 201
    assert (await client.post("/api/v1/widget/leads", headers=auth,
                              json={"name": "Ada", "email": "nope"})).status_code == 422
    assert (await client.post("/api/v1/widget/handoff", headers=auth, json={})).status_code == 202
    leads = (await client.get(f"/api/v1/bots/{bot['id']}/leads", headers=owner.headers)).json()["leads"]
    assert leads[0]["email"] == "ada@example.com"
    waiting = (await client.get(f"/api/v1/bots/{bot['id']}/conversations?needs_human=true",
                                headers=owner.headers)).json()
    assert waiting["total"] == 1


async def test_expired_and_forged_visitor_tokens(client, widget_bot, runtime):
    _, bot = widget_bot
    from parley.widget.access import Visitor, issue_visitor_token

    visitor = Visitor(bot_id=__import__("uuid").UUID(bot["id"]), org_id=__import__("uuid").UUID(bot["org_id"]),
                      visitor_id="v_x")
    expired = issue_visitor_token(runtime.jwt, visitor, ttl_s=-5)
    response = await client.get("/api/v1/widget/conversation", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and response.json()["error"]["code"] == "token_expired"
    user_token = runtime.jwt.encode("someone", ttl_s=60)  # an access token is not a visitor token
    assert (await client.get("/api/v1/widget/conversation",
                             headers={"Authorization": f"Bearer {user_token}"})).status_code == 401


async def test_visitor_rate_limit_is_reported_in_words(client, widget_bot, runtime):
    _, bot = widget_bot
    runtime.settings.rate_limit_chat_visitor = "1/minute"
    auth = {"Authorization": f"Bearer {(await _session(client, bot)).json()['token']}"}
    await client.post("/api/v1/widget/chat", headers=auth, json={"message": "Is shipping free?"})
    limited = await client.post("/api/v1/widget/chat", headers=auth, json={"message": "And refunds?"})
    assert limited.status_code == 429 and "Try again in" in limited.json()["error"]["message"]


async def test_websocket_chat_and_bad_frames(widget_bot, client, live_server):
    _, bot = widget_bot
    token = (await _session(client, bot)).json()["token"]
    url = f"ws://{live_server}/api/v1/widget/ws?token={token}"
    async with websockets.connect(url, origin=SITE) as socket:
        await socket.send(json.dumps({"type": "ping"}))
        assert json.loads(await socket.recv()) == {"type": "pong"}
        await socket.send(json.dumps({"type": "message", "text": "Where is the warehouse?", "client_id": "a"}))
        events = []
        while not events or events[-1]["type"] not in ("done", "error"):
            events.append(json.loads(await socket.recv()))
        assert "Lyon" in "".join(e.get("text", "") for e in events if e["type"] == "token")
        for _ in range(3):
            await socket.send("not json")
        with pytest.raises(websockets.ConnectionClosed) as closed:
            for _ in range(5):
                await socket.recv()
        assert closed.value.rcvd.code == 4400


async def test_websocket_refuses_wrong_origin_and_bad_token(widget_bot, client, live_server):
    _, bot = widget_bot
    token = (await _session(client, bot)).json()["token"]
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(f"ws://{live_server}/api/v1/widget/ws?token={token}",
                                      origin="https://evil.test") as socket:
            await socket.recv()
    with pytest.raises((websockets.exceptions.InvalidStatus, websockets.ConnectionClosed)):
        async with websockets.connect(f"ws://{live_server}/api/v1/widget/ws?token=garbage", origin=SITE) as socket:
            await socket.recv()
