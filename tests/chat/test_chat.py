from __future__ import annotations

import uuid

from tests.chat.helpers import bot_with_knowledge, parse_sse


async def test_answer_with_citations_on_the_offline_default(client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    response = await client.post(f"/api/v1/bots/{bot['id']}/chat", headers=owner.headers,
                                 json={"message": "How long do I have to ask for a refund?"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "30 days" in body["answer"]
    assert body["citations"] and body["citations"][0]["source"] == "Policies"
    assert body["conversation_id"] and body["usage"]["output_tokens"] > 0


async def test_unknown_answers_get_the_fallback_message(client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    response = await client.post(f"/api/v1/bots/{bot['id']}/chat", headers=owner.headers,
                                 json={"message": "What is the airspeed velocity of an unladen swallow?"})
    body = response.json()
    assert body["answer"] == bot["config"]["fallback_message"] and body["citations"] == []


async def test_streaming_events(client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    response = await client.post(f"/api/v1/bots/{bot['id']}/chat", headers={**owner.headers,
                                 "Accept": "text/event-stream"}, json={"message": "Where is the warehouse?"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    types = [e["type"] for e in events]
    assert types[0] == "start" and types[-1] == "done" and "token" in types and "citations" in types
    assert "Lyon" in "".join(e["text"] for e in events if e["type"] == "token")
    assert any(e["type"] == "tool" and e["name"] == "search_knowledge_base" for e in events)


async def test_conversation_history_and_transcript(client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    first = (await client.post(f"/api/v1/bots/{bot['id']}/chat", headers=owner.headers,
                               json={"message": "Is shipping free?"})).json()
    await client.post(f"/api/v1/bots/{bot['id']}/chat", headers=owner.headers,
                      json={"message": "And where do parcels leave from?", "conversation_id": first["conversation_id"]})
    transcript = (await client.get(f"/api/v1/conversations/{first['conversation_id']}", headers=owner.headers)).json()
    roles = [m["role"] for m in transcript["messages"]]
    assert roles == ["user", "assistant", "user", "assistant"]
    answer = transcript["messages"][1]
    assert answer["citations"] and answer["tool_calls"][0]["name"] == "search_knowledge_base"
    assert answer["latency_ms"] is not None and answer["model"] and answer["tokens_out"] > 0
    listed = (await client.get(f"/api/v1/bots/{bot['id']}/conversations", headers=owner.headers)).json()
    assert listed["total"] == 1 and listed["conversations"][0]["message_count"] == 4


async def test_idempotency_key_does_not_answer_twice(client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    headers = {**owner.headers, "Idempotency-Key": "retry-123"}
    first = (await client.post(f"/api/v1/bots/{bot['id']}/chat", headers=headers,
                               json={"message": "Is shipping free?"})).json()
    again = (await client.post(f"/api/v1/bots/{bot['id']}/chat", headers=headers,
                               json={"message": "Is shipping free?", "conversation_id": first["conversation_id"]})).json()
    assert again["message_id"] == first["message_id"] and again["answer"] == first["answer"]
    transcript = (await client.get(f"/api/v1/conversations/{first['conversation_id']}", headers=owner.headers)).json()
    assert len(transcript["messages"]) == 2


async def test_feedback_and_filters(client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    answer = (await client.post(f"/api/v1/bots/{bot['id']}/chat", headers=owner.headers,
                                json={"message": "Is shipping free?"})).json()
    url = f"/api/v1/conversations/{answer['conversation_id']}/messages/{answer['message_id']}/feedback"
    assert (await client.post(url, headers=owner.headers, json={"rating": -1, "comment": "too short"})).status_code == 204
    negative = (await client.get(f"/api/v1/bots/{bot['id']}/conversations?feedback=negative",
                                 headers=owner.headers)).json()
    assert negative["total"] == 1
    positive = (await client.get(f"/api/v1/bots/{bot['id']}/conversations?feedback=positive",
                                 headers=owner.headers)).json()
    assert positive["total"] == 0
    bad = await client.post(url, headers=owner.headers, json={"rating": 5})
    assert bad.status_code == 422


async def test_lead_capture_and_handoff_tools(client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    lead = (await client.post(f"/api/v1/bots/{bot['id']}/chat", headers=owner.headers, json={
        "message": "I'm Marie Curie, marie@example.com, please contact me about a bulk order"})).json()
    assert "marie@example.com" in lead["answer"]
    leads = (await client.get(f"/api/v1/bots/{bot['id']}/leads", headers=owner.headers)).json()["leads"]
    assert leads[0]["email"] == "marie@example.com" and leads[0]["conversation_id"] == lead["conversation_id"]
    handoff = (await client.post(f"/api/v1/bots/{bot['id']}/chat", headers=owner.headers,
                                 json={"message": "I want to talk to a human please"})).json()
    waiting = (await client.get(f"/api/v1/bots/{bot['id']}/conversations?needs_human=true",
                                headers=owner.headers)).json()
    assert [c["id"] for c in waiting["conversations"]] == [handoff["conversation_id"]]


async def test_delete_and_export(client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    answer = (await client.post(f"/api/v1/bots/{bot['id']}/chat", headers=owner.headers,
                                json={"message": "Is shipping free?"})).json()
    export = await client.get(f"/api/v1/bots/{bot['id']}/conversations/export", headers=owner.headers)
    assert export.status_code == 200 and export.json()[0]["messages"][1]["content"]
    assert "attachment" in export.headers["content-disposition"]
    deleted = await client.delete(f"/api/v1/conversations/{answer['conversation_id']}", headers=owner.headers)
    assert deleted.status_code == 204
    assert (await client.get(f"/api/v1/conversations/{answer['conversation_id']}",
                             headers=owner.headers)).status_code == 404


async def test_bad_chat_input(client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    url = f"/api/v1/bots/{bot['id']}/chat"
    assert (await client.post(url, headers=owner.headers, json={"message": ""})).status_code == 422
    assert (await client.post(url, headers=owner.headers, json={"message": "   "})).status_code == 422
    assert (await client.post(url, headers=owner.headers, json={"message": "x" * 4001})).status_code == 422
    assert (await client.post(url, headers=owner.headers, json={})).status_code == 422
    unknown = await client.post(url, headers=owner.headers, json={"message": "hi", "conversation_id": str(uuid.uuid4())})
    assert unknown.status_code == 404
    assert (await client.post(f"/api/v1/bots/{uuid.uuid4()}/chat", headers=owner.headers,
                              json={"message": "hi"})).status_code == 404
    await client.patch(f"/api/v1/bots/{bot['id']}", headers=owner.headers, json={"enabled": False})
    disabled = await client.post(url, headers=owner.headers, json={"message": "hi"})
    assert disabled.status_code == 404


async def test_chat_rate_limit_per_bot(client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    runtime.settings.rate_limit_chat_bot = "1/minute"
    url = f"/api/v1/bots/{bot['id']}/chat"
    assert (await client.post(url, headers=owner.headers, json={"message": "Is shipping free?"})).status_code == 200
    limited = await client.post(url, headers=owner.headers, json={"message": "Is shipping free?"})
    assert limited.status_code == 429 and limited.headers["retry-after"]


async def test_nul_characters_in_a_message_are_not_a_500(client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    response = await client.post(f"/api/v1/bots/{bot['id']}/chat", headers=owner.headers,
                                 json={"message": "Is shipping\u0000 free?"})
    assert response.status_code == 200, response.text
