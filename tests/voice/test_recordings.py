"""Recordings of spoken turns: kept only when the bot asks, read by its org's members, deleted after retention."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from parley.kit.db import utcnow
from parley.voice.audio import decode_to_pcm16k
from parley.voice.models import VoiceRecording
from parley.voice.tasks import purge_expired_recordings
from tests.factories import add_member, create_api_key, signup
from tests.knowledge.helpers import create_bot
from tests.voice.factories import add_recording
from tests.voice.test_voice_api import spoken_question, voice_bot  # noqa: F401  (fixtures)


async def keep_recordings(client, owner, bot: dict, days: int = 30) -> None:
    response = await client.patch(f"/api/v1/bots/{bot['id']}", headers=owner.headers, json={
        "config": {"voice": {"keep_recordings": True, "recording_retention_days": days}}})
    assert response.status_code == 200, response.text


async def count_recordings(session) -> int:
    return await session.scalar(select(func.count()).select_from(VoiceRecording))


async def spoken_turn(client, owner, bot, question: bytes) -> dict:
    response = await client.post(f"/api/v1/bots/{bot['id']}/voice", headers={**owner.headers,
                                 "Accept": "application/json"}, files={"audio": ("q.wav", question, "audio/wav")})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.slow
async def test_spoken_turns_are_kept_when_the_bot_asks(client, voice_bot, spoken_question, session):  # noqa: F811
    owner, bot = voice_bot
    await keep_recordings(client, owner, bot)
    turn = await spoken_turn(client, owner, bot, spoken_question)
    member = await add_member(client, owner)
    url = f"/api/v1/conversations/{turn['conversation_id']}/recordings"
    listed = (await client.get(url, headers=member.headers)).json()["recordings"]
    assert [r["speaker"] for r in listed] == ["visitor", "bot"]
    assert {r["message_id"] for r in listed} == {turn["message_id"]}
    visitor = listed[0]
    assert visitor["format"] == "opus" and 1.0 < visitor["duration_s"] < 3.0
    audio = await client.get(f"{url}/{visitor['id']}", headers=member.headers)
    assert audio.status_code == 200 and audio.headers["content-type"].startswith("audio/ogg")
    assert len(audio.content) == visitor["size_bytes"]
    heard = decode_to_pcm16k(audio.content)
    assert abs(len(heard) / 16_000 - visitor["duration_s"]) < 0.1
    answer = await client.get(f"{url}/{listed[1]['id']}", headers=member.headers)
    assert answer.headers["content-type"] == "audio/mpeg"


@pytest.mark.slow
async def test_nothing_is_kept_by_default(client, voice_bot, spoken_question, session):  # noqa: F811
    owner, bot = voice_bot
    turn = await spoken_turn(client, owner, bot, spoken_question)
    listed = await client.get(f"/api/v1/conversations/{turn['conversation_id']}/recordings", headers=owner.headers)
    assert listed.status_code == 200 and listed.json() == {"recordings": []}
    assert await count_recordings(session) == 0


async def test_bad_requests(client, session):
    owner = await signup(client)
    bot = await create_bot(client, owner)
    recording = await add_recording(session, bot)
    other = await add_recording(session, bot)  # same org, another conversation
    base = f"/api/v1/conversations/{recording.conversation_id}/recordings"
    assert (await client.get(base)).status_code == 401
    assert (await client.get(f"{base}/{recording.id}")).status_code == 401
    assert (await client.get("/api/v1/conversations/not-a-uuid/recordings", headers=owner.headers)).status_code == 422
    assert (await client.get(f"{base}/not-a-uuid", headers=owner.headers)).status_code == 422
    missing = await client.get(f"/api/v1/conversations/{uuid.uuid4()}/recordings", headers=owner.headers)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "conversation_not_found"
    # A recording is reached only through its own conversation.
    crossed = await client.get(f"{base}/{other.id}", headers=owner.headers)
    assert crossed.status_code == 404 and crossed.json()["error"]["code"] == "recording_not_found"
    key = await create_api_key(client, owner, role="member")
    by_key = await client.get(f"{base}/{recording.id}", headers={"Authorization": f"Bearer {key['key']}"})
    assert by_key.status_code == 200 and by_key.content == recording.data


async def test_recordings_older_than_the_bots_retention_are_deleted(client, runtime, session):
    owner = await signup(client)
    week_bot, default_bot = await create_bot(client, owner), await create_bot(client, owner)
    await keep_recordings(client, owner, week_bot, days=7)
    now = utcnow()
    old_for_week = await add_recording(session, week_bot, created_at=now - timedelta(days=8))
    recent = await add_recording(session, week_bot, created_at=now - timedelta(days=6))
    old_for_default = await add_recording(session, default_bot, created_at=now - timedelta(days=8))
    expired_default = await add_recording(session, default_bot, created_at=now - timedelta(days=31))
    assert await purge_expired_recordings(runtime) == 2
    left = set(await session.scalars(select(VoiceRecording.id).execution_options(populate_existing=True)))
    assert left == {recent.id, old_for_default.id}
    assert old_for_week.id not in left and expired_default.id not in left


async def test_deleting_a_conversation_deletes_its_recordings(client, session):
    owner = await signup(client)
    bot = await create_bot(client, owner)
    recording = await add_recording(session, bot)
    response = await client.delete(f"/api/v1/conversations/{recording.conversation_id}", headers=owner.headers)
    assert response.status_code == 204
    assert await count_recordings(session) == 0
