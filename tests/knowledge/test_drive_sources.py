"""Google Drive through the API: connections (service account, OAuth), folder and file sources, re-sync."""

from __future__ import annotations

import json
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from parley.config import Settings
from parley.knowledge.drive_connections.models import DriveConnection
from parley.knowledge.models import Document
from tests.factories import add_member, create_api_key, signup
from tests.fakes.gdrive import DOC, DOCX, PDF, SHEET, FakeDrive
from tests.knowledge.gdrive.conftest import CLIENT_ID, CLIENT_SECRET, DOCS, drive, drive_url, served  # noqa: F401
from tests.knowledge.helpers import add_source, create_bot, ingest, search

PDF_BYTES = (DOCS / "amt_handbook_sample.pdf").read_bytes()
DOCX_BYTES = (DOCS / "word_sample.docx").read_bytes()
REDIRECT_URI = "https://parley.example/api/v1/drive/oauth/callback"


@pytest.fixture
def settings(settings: Settings, drive_url: str) -> Settings:  # noqa: F811
    return settings.model_copy(update={
        "google_client_id": CLIENT_ID, "google_client_secret": SecretStr(CLIENT_SECRET),
        "google_redirect_uri": REDIRECT_URI, "google_token_uri": f"{drive_url}/token",
        "google_drive_api_endpoint": drive_url, "public_url": "https://parley.example"})


def connections_url(account) -> str:
    return f"/api/v1/orgs/{account.org_id}/drive/connections"


async def connect_service_account(client, owner, drive: FakeDrive) -> dict:  # noqa: F811
    key = drive.oauth.add_service_account()
    response = await client.post(f"{connections_url(owner)}/service-account", headers=owner.headers,
                                 json={"key": key})
    assert response.status_code == 201, response.text
    return response.json()


async def test_service_account_connection_is_verified_listed_and_never_returns_its_secret(
        client, session, drive):  # noqa: F811
    owner = await signup(client)
    key = drive.oauth.add_service_account("reader@demo.iam.gserviceaccount.com")
    response = await client.post(f"{connections_url(owner)}/service-account", headers=owner.headers,
                                 json={"key": json.dumps(key)})  # the pasted text works too
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["kind"] == "service_account" and created["label"] == "reader@demo.iam.gserviceaccount.com"
    assert "urn:ietf:params:oauth:grant-type:jwt-bearer" in drive.oauth.token_grants  # verified with Google

    listed = await client.get(connections_url(owner), headers=owner.headers)
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()["connections"]] == [created["id"]]
    for text in (response.text, listed.text):
        assert "PRIVATE KEY" not in text and "secret" not in text
    stored = await session.scalar(select(DriveConnection).where(DriveConnection.id == uuid.UUID(created["id"])))
    assert "PRIVATE KEY" not in stored.secret_encrypted

    deleted = await client.delete(f"{connections_url(owner)}/{created['id']}", headers=owner.headers)
    assert deleted.status_code == 204
    assert (await client.get(connections_url(owner), headers=owner.headers)).json()["connections"] == []


@pytest.mark.parametrize(("key", "status", "code"), [
    ("not json at all", 400, "invalid_service_account"),
    ({"type": "authorized_user", "client_id": "x"}, 400, "invalid_service_account"),
    ({"type": "service_account", "client_email": "a@b.c", "private_key": "nope"}, 400,
     "invalid_service_account"),
    (["a", "list"], 422, "validation_error"),
])
async def test_bad_service_account_keys_are_refused(client, drive, key, status, code):  # noqa: F811
    owner = await signup(client)
    response = await client.post(f"{connections_url(owner)}/service-account", headers=owner.headers,
                                 json={"key": key})
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


async def test_a_service_account_google_rejects_is_not_stored(client, drive):  # noqa: F811
    owner = await signup(client)
    key = drive.oauth.add_service_account()
    drive.oauth.service_accounts.clear()  # the key was deleted in Google Cloud
    response = await client.post(f"{connections_url(owner)}/service-account", headers=owner.headers,
                                 json={"key": key})
    assert response.status_code == 400 and response.json()["error"]["code"] == "drive_auth_failed"
    assert (await client.get(connections_url(owner), headers=owner.headers)).json()["connections"] == []


async def test_members_can_list_but_only_admins_connect(client, drive):  # noqa: F811
    owner = await signup(client)
    member = await add_member(client, owner, role="member")
    assert (await client.get(connections_url(owner), headers=member.headers)).status_code == 200
    response = await client.post(f"{connections_url(owner)}/service-account", headers=member.headers,
                                 json={"key": drive.oauth.add_service_account()})
    assert response.status_code == 403
    response = await client.post(f"/api/v1/orgs/{owner.org_id}/drive/oauth/start", headers=member.headers)
    assert response.status_code == 403


async def oauth_start(client, owner, **body) -> dict[str, str]:
    response = await client.post(f"/api/v1/orgs/{owner.org_id}/drive/oauth/start", headers=owner.headers,
                                 json=body or None)
    assert response.status_code == 200, response.text
    url = urlsplit(response.json()["authorization_url"])
    return {k: v[0] for k, v in parse_qs(url.query).items()}


async def test_oauth_start_and_callback_store_the_refresh_token(client, session, drive):  # noqa: F811
    owner = await signup(client)
    params = await oauth_start(client, owner, return_to="/bots/?id=abc&tab=knowledge")
    assert params["client_id"] == CLIENT_ID and params["redirect_uri"] == REDIRECT_URI
    assert params["code_challenge_method"] == "S256" and params["access_type"] == "offline"

    # Google redirects the browser back with a code (no Parley token on that request).
    code = drive.oauth.issue_code(CLIENT_ID, REDIRECT_URI)
    response = await client.get("/api/v1/drive/oauth/callback", params={"code": code, "state": params["state"]})
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.netloc == "parley.example" and location.path == "/bots/"
    query = parse_qs(location.query)
    assert query["id"] == ["abc"] and query["drive"] == ["connected"]

    listed = (await client.get(connections_url(owner), headers=owner.headers)).json()["connections"]
    assert [(c["kind"], c["label"], c["id"]) for c in listed] == [
        ("oauth", f"Google account of {owner.email}", query["connection"][0])]
    stored = await session.get(DriveConnection, uuid.UUID(listed[0]["id"]))
    assert stored.secret_encrypted not in drive.oauth.refresh_tokens
    assert stored.secret_encrypted.startswith("gAAAA")  # Fernet


async def test_oauth_callback_answers_json_when_asked(client, drive):  # noqa: F811
    owner = await signup(client)
    params = await oauth_start(client, owner)
    code = drive.oauth.issue_code(CLIENT_ID, REDIRECT_URI)
    response = await client.get("/api/v1/drive/oauth/callback", params={"code": code, "state": params["state"]},
                                headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    assert response.json()["kind"] == "oauth"
    # The code is single use, and a tampered state is refused.
    again = await client.get("/api/v1/drive/oauth/callback", params={"code": code, "state": params["state"]},
                             headers={"Accept": "application/json"})
    assert again.status_code == 400 and "already used" in again.json()["error"]["message"]
    forged = await client.get("/api/v1/drive/oauth/callback", params={"code": "x", "state": params["state"] + "x"},
                              headers={"Accept": "application/json"})
    assert forged.status_code == 400 and forged.json()["error"]["code"] == "invalid_oauth_state"


async def test_oauth_denied_on_google_goes_back_with_the_reason(client, drive):  # noqa: F811
    owner = await signup(client)
    params = await oauth_start(client, owner)
    response = await client.get("/api/v1/drive/oauth/callback",
                                params={"error": "access_denied", "state": params["state"]})
    assert response.status_code == 303
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert "declined" in query["drive_error"][0]
    assert (await client.get(connections_url(owner), headers=owner.headers)).json()["connections"] == []


async def test_oauth_start_without_a_client_is_a_clear_400(client, runtime):
    runtime.settings = runtime.settings.model_copy(update={"google_client_id": None})
    owner = await signup(client)
    response = await client.post(f"/api/v1/orgs/{owner.org_id}/drive/oauth/start", headers=owner.headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "google_oauth_not_configured"
    assert "service-account" in response.json()["error"]["message"]


async def test_api_keys_cannot_start_oauth(client, drive):  # noqa: F811
    owner = await signup(client)
    key = await create_api_key(client, owner)
    response = await client.post(f"/api/v1/orgs/{owner.org_id}/drive/oauth/start",
                                 headers={"Authorization": f"Bearer {key['key']}"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "user_required"


def drive_folder(drive: FakeDrive) -> tuple[str, dict[str, str]]:  # noqa: F811
    folder = drive.add_folder("Handbook")
    sub = drive.add_folder("More", parent=folder)
    files = {
        "doc": drive.add("Onboarding", DOC, "Our office parrot is named Captain Flint.\nHe greets visitors.",
                         parent=folder),
        "sheet": drive.add("Rota", SHEET, "name,shift\nAda Lovelace,early\nGrace Hopper,late\n", parent=folder),
        "pdf": drive.add("handbook.pdf", PDF, PDF_BYTES, parent=sub),
        "docx": drive.add("summer.docx", DOCX, DOCX_BYTES, parent=folder),
    }
    drive.add("photo.png", "image/png", b"\x89PNG", parent=folder)
    return folder, files


async def documents(session, source_id: str) -> dict[str, Document]:
    rows = await session.scalars(select(Document).where(Document.source_id == uuid.UUID(source_id)))
    return {d.external_id: d for d in rows}


async def test_folder_source_is_indexed_searchable_and_resyncs_incrementally(
        client, runtime, session, drive):  # noqa: F811
    owner = await signup(client)
    bot = await create_bot(client, owner)
    connection = await connect_service_account(client, owner, drive)
    folder, files = drive_folder(drive)
    source = await add_source(client, owner, bot["id"], {"type": "gdrive", "connection_id": connection["id"],
                                                         "folder_id": folder})
    assert source["kind"] == "gdrive" and source["status"] == "queued"

    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] == "ready", done
    assert done["progress"]["docs_done"] == 4 and done["progress"]["chunks_total"] > 0
    assert "photo.png" in done["note"]  # the image was skipped, and said so

    hits = await search(client, owner, bot["id"], "What is the office parrot called?")
    assert hits[0]["title"] == "Onboarding" and "Captain Flint" in hits[0]["text"]
    assert hits[0]["uri"] == f"https://docs.google.com/d/{files['doc']}/edit"
    assert any("Grace Hopper" in h["text"] for h in await search(client, owner, bot["id"], "Grace Hopper shift"))
    assert any(h["title"] == "handbook.pdf" for h in await search(client, owner, bot["id"], "self-locking nuts"))
    assert any(h["title"] == "summer.docx" for h in await search(client, owner, bot["id"], "duck swimming lake"))

    before = await documents(session, source["id"])
    assert set(before) == set(files.values())
    stamps = {k: (d.updated_at, d.content_hash) for k, d in before.items()}

    # Change one file: only it is downloaded again.
    drive.modify(files["doc"], content="Our office parrot is now named Polly.")
    drive.requests.clear()
    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] == "ready" and done["progress"]["docs_done"] == 4
    fetched = {path.split("/")[4].split("?")[0] for _, path, _ in drive.requests
               if "alt=media" in path or "/export" in path}
    assert fetched == {files["doc"]}
    session.expire_all()
    after = await documents(session, source["id"])
    assert set(after) == set(files.values())
    assert after[files["doc"]].content_hash != stamps[files["doc"]][1]
    for key in ("sheet", "pdf", "docx"):
        assert after[files[key]].content_hash == stamps[files[key]][1]
    hits = await search(client, owner, bot["id"], "What is the office parrot called?")
    assert "Polly" in hits[0]["text"] and not any("Captain Flint" in h["text"] for h in hits)

    # Delete a file from Drive: its chunks go.
    drive.delete(files["pdf"])
    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] == "ready" and done["progress"]["docs_done"] == 3
    session.expire_all()
    assert files["pdf"] not in await documents(session, source["id"])
    assert not any(h["title"] == "handbook.pdf" for h in await search(client, owner, bot["id"], "self-locking nuts"))


async def test_picked_files_with_an_oauth_connection(client, runtime, drive):  # noqa: F811
    owner = await signup(client)
    bot = await create_bot(client, owner)
    params = await oauth_start(client, owner)
    code = drive.oauth.issue_code(CLIENT_ID, REDIRECT_URI)
    connection = (await client.get("/api/v1/drive/oauth/callback", params={"code": code, "state": params["state"]},
                                   headers={"Accept": "application/json"})).json()
    doc = drive.add("FAQ", DOC, "Refunds are possible within 30 days of purchase.")
    drive.add("Other", DOC, "Unrelated words about penguins.")
    source = await add_source(client, owner, bot["id"], {"type": "gdrive", "connection_id": connection["id"],
                                                         "file_ids": [doc], "name": "FAQ doc"})
    assert source["name"] == "FAQ doc"
    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] == "ready" and done["progress"]["docs_done"] == 1, done
    assert "30 days" in (await search(client, owner, bot["id"], "refund window"))[0]["text"]


async def test_drive_errors_fail_the_source_with_a_readable_message(client, runtime, drive):  # noqa: F811
    owner = await signup(client)
    bot = await create_bot(client, owner)
    connection = await connect_service_account(client, owner, drive)
    source = await add_source(client, owner, bot["id"], {"type": "gdrive", "connection_id": connection["id"],
                                                         "folder_id": "no-such-folder"})
    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] == "failed" and "not found" in done["error"]

    # The connection removed: the source says so.
    await client.delete(f"{connections_url(owner)}/{connection['id']}", headers=owner.headers)
    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] == "failed" and "connection of this source was removed" in done["error"]


async def test_gdrive_source_bad_inputs(client, drive):  # noqa: F811
    owner, other = await signup(client), await signup(client)
    bot = await create_bot(client, owner)
    others_connection = await connect_service_account(client, other, drive)
    mine = await connect_service_account(client, owner, drive)
    url = f"/api/v1/bots/{bot['id']}/sources"
    cases = [
        ({"type": "gdrive", "connection_id": others_connection["id"], "folder_id": "f"}, 404),
        ({"type": "gdrive", "connection_id": str(uuid.uuid4()), "folder_id": "f"}, 404),
        ({"type": "gdrive", "connection_id": mine["id"]}, 422),
        ({"type": "gdrive", "connection_id": mine["id"], "folder_id": " ", "file_ids": []}, 422),
        ({"type": "gdrive", "connection_id": "not-a-uuid", "folder_id": "f"}, 422),
    ]
    for body, status in cases:
        response = await client.post(url, headers=owner.headers, json=body)
        assert response.status_code == status, (body, response.text)
        assert "error" in response.json()
    assert (await client.get(url, headers=owner.headers)).json()["sources"] == []
    # Another org can't see, use or delete the connection.
    assert (await client.delete(f"{connections_url(owner)}/{others_connection['id']}",
                                headers=owner.headers)).status_code == 404
