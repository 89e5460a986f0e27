"""Every refused input of the knowledge API, and sources that end `failed` with a readable reason."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest

from tests.factories import signup
from tests.knowledge.helpers import DOCS, add_source, create_bot, ingest, upload


@pytest.fixture
async def owner_and_bot(client):
    owner = await signup(client)
    return owner, await create_bot(client, owner)


async def test_unsupported_type_is_415_and_nothing_is_created(client, owner_and_bot):
    owner, bot = owner_and_bot
    response = await client.post(f"/api/v1/bots/{bot['id']}/sources", headers=owner.headers, files=[
        ("files", ("notes.txt", b"fine", "text/plain")),
        ("files", ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "image/png"))])
    assert response.status_code == 415 and response.json()["error"]["code"] == "unsupported_media_type"
    listed = (await client.get(f"/api/v1/bots/{bot['id']}/sources", headers=owner.headers)).json()
    assert listed["sources"] == []


async def test_oversized_file_is_413_before_the_body_is_read(client, owner_and_bot, runtime):
    owner, bot = owner_and_bot
    runtime.settings.upload_max_mb = 1
    big = b"a" * (2 * 1024 * 1024)
    response = await client.post(f"/api/v1/bots/{bot['id']}/sources", headers=owner.headers,
                                 files=[("files", ("big.txt", big, "text/plain"))])
    assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"


async def test_too_many_files_is_413(client, owner_and_bot, runtime):
    owner, bot = owner_and_bot
    runtime.settings.upload_max_files = 2
    files = [("files", (f"{i}.txt", b"hello", "text/plain")) for i in range(3)]
    response = await client.post(f"/api/v1/bots/{bot['id']}/sources", headers=owner.headers, files=files)
    assert response.status_code == 413


def _zip_bomb_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"a" * (300 * 1024 * 1024) + b">")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "payload", "mime", "reason_words"), [
    ("empty.txt", b"", "text/plain", "empty"),
    ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage", "application/pdf", "PDF"),
    ("fake.docx", b"this is not a zip at all", "application/octet-stream", "Word"),
    ("bomb.docx", None, "application/octet-stream", "expands"),
])
async def test_bad_files_end_failed_with_a_readable_reason(client, runtime, owner_and_bot, name, payload, mime,
                                                           reason_words):
    owner, bot = owner_and_bot
    payload = _zip_bomb_docx() if payload is None else payload
    [source] = await upload(client, owner, bot["id"], (name, payload, mime))
    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] == "failed", done
    assert reason_words.lower() in done["error"].lower(), done["error"]


async def test_encrypted_pdf_fails_readably(client, runtime, owner_and_bot):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(DOCS / "amt_handbook_sample.pdf").pages[:1]:
        writer.add_page(page)
    writer.encrypt("secret-password")
    buffer = io.BytesIO()
    writer.write(buffer)
    owner, bot = owner_and_bot
    [source] = await upload(client, owner, bot["id"], ("locked.pdf", buffer.getvalue(), "application/pdf"))
    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] == "failed" and "encrypted" in done["error"].lower()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/admin", "http://localhost/", "http://10.0.0.5/", "http://169.254.169.254/latest/meta-data",
    "http://[::1]/", "http://192.168.1.1/", "http://2130706433/", "http://metadata.google.internal/",
])
async def test_private_urls_are_refused(client, owner_and_bot, url):
    owner, bot = owner_and_bot
    for kind in ("url", "crawl"):
        response = await client.post(f"/api/v1/bots/{bot['id']}/sources", headers=owner.headers,
                                     json={"type": kind, "url": url})
        assert response.status_code in (400, 422), response.text
        assert response.json()["error"]["code"] in ("unsafe_url", "validation_error")


@pytest.mark.parametrize("body", [
    {}, {"type": "text"}, {"type": "text", "text": ""}, {"type": "text", "text": "x" * 500_001},
    {"type": "qa", "pairs": []}, {"type": "qa", "pairs": [{"question": "q"}]}, {"type": "url", "url": "not a url"},
    {"type": "url", "url": "ftp://example.com/file"}, {"type": "crawl", "url": "https://example.com", "max_pages": 0},
    {"type": "unknown"}, [1, 2, 3],
])
async def test_invalid_json_sources_are_422(client, owner_and_bot, body):
    owner, bot = owner_and_bot
    response = await client.post(f"/api/v1/bots/{bot['id']}/sources", headers=owner.headers, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


async def test_garbage_multipart_is_400(client, owner_and_bot):
    owner, bot = owner_and_bot
    response = await client.post(f"/api/v1/bots/{bot['id']}/sources", content=b"--x\r\nnonsense",
                                 headers={**owner.headers, "content-type": "multipart/form-data; boundary=x"})
    assert 400 <= response.status_code < 500
    no_files = await client.post(f"/api/v1/bots/{bot['id']}/sources", headers=owner.headers,
                                 data={"note": "no file here"}, files=[])
    assert 400 <= no_files.status_code < 500


@pytest.mark.parametrize("body", [{}, {"query": ""}, {"query": "x" * 2001}, {"query": "ok", "k": 0},
                                  {"query": "ok", "k": 51}, {"query": "ok", "mode": "magic"}])
async def test_search_validation(client, owner_and_bot, body):
    owner, bot = owner_and_bot
    response = await client.post(f"/api/v1/bots/{bot['id']}/search", headers=owner.headers, json=body)
    assert response.status_code == 422


async def test_unknown_bot_and_source_are_404(client, owner_and_bot):
    owner, bot = owner_and_bot
    unknown = uuid.uuid4()
    for method, path in [("get", f"/api/v1/bots/{unknown}/sources"), ("get", f"/api/v1/bots/{bot['id']}/sources/{unknown}"),
                         ("delete", f"/api/v1/bots/{bot['id']}/sources/{unknown}"),
                         ("post", f"/api/v1/bots/{bot['id']}/sources/{unknown}/resync")]:
        response = await client.request(method, path, headers=owner.headers)
        assert response.status_code == 404, (path, response.text)


async def test_empty_text_source_becomes_ready_with_a_note(client, runtime, owner_and_bot):
    owner, bot = owner_and_bot
    source = await add_source(client, owner, bot["id"], {"type": "text", "text": "   \n  "})
    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] in ("ready", "failed") and (done["note"] or done["error"])
