from __future__ import annotations

import pytest

from tests.factories import signup
from tests.knowledge.helpers import DOCS, add_source, create_bot, ingest, search, upload

REAL_DOCUMENTS = [
    ("amt_handbook_sample.pdf", "application/pdf", "How does the Boots self-locking nut hold tight despite vibration?"),
    ("word_sample.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "How many calories per portion do berries have for a duck?"),
    ("wiki_duck.html", "text/html", "Which ducks are dabbling ducks that feed on the surface?"),
    ("wiki_ibm.md", "text/markdown", "When was IBM founded and by whom?"),
]


@pytest.mark.parametrize(("filename", "mime", "question"), REAL_DOCUMENTS)
async def test_real_document_ingests_and_answers_a_question(client, runtime, filename, mime, question):
    owner = await signup(client)
    bot = await create_bot(client, owner)
    other = (DOCS / "wiki_ibm.md") if filename != "wiki_ibm.md" else (DOCS / "wiki_duck.html")
    sources = await upload(client, owner, bot["id"], (filename, (DOCS / filename).read_bytes(), mime),
                           (other.name, other.read_bytes(), "text/plain"))
    assert [s["status"] for s in sources] == ["queued", "queued"]
    for source in sources:
        done = await ingest(client, runtime, owner, bot["id"], source)
        assert done["status"] == "ready", done
        assert done["progress"]["docs_done"] == 1 and done["progress"]["chunks_total"] > 0
    hits = await search(client, owner, bot["id"], question, k=3)
    assert hits and hits[0]["source"] == filename, [h["source"] for h in hits]
    assert hits[0]["location"] and hits[0]["text"]


async def test_pdf_chunks_carry_page_numbers(client, runtime):
    owner = await signup(client)
    bot = await create_bot(client, owner)
    [source] = await upload(client, owner, bot["id"], ("handbook.pdf", (DOCS / "amt_handbook_sample.pdf").read_bytes(),
                                                       "application/pdf"))
    await ingest(client, runtime, owner, bot["id"], source)
    hits = await search(client, owner, bot["id"], "self-locking nuts", k=5)
    assert all(h["location"].startswith("page ") for h in hits)


async def test_text_and_qa_sources(client, runtime):
    owner = await signup(client)
    bot = await create_bot(client, owner)
    text = await add_source(client, owner, bot["id"], {
        "type": "text", "name": "Shipping policy",
        "text": "We ship worldwide. Orders leave our warehouse in Lyon within two business days."})
    qa = await add_source(client, owner, bot["id"], {
        "type": "qa", "pairs": [{"question": "Do you offer refunds?",
                                 "answer": "Yes, within 30 days of delivery, no questions asked."}]})
    for source in (text, qa):
        assert (await ingest(client, runtime, owner, bot["id"], source))["status"] == "ready"
    assert (await search(client, owner, bot["id"], "where is the warehouse"))[0]["source"] == "Shipping policy"
    assert "30 days" in (await search(client, owner, bot["id"], "can I get my money back"))[0]["text"]


async def test_reingesting_unchanged_content_does_nothing_and_changes_replace_chunks(client, runtime, session):
    from sqlalchemy import text as sql

    owner = await signup(client)
    bot = await create_bot(client, owner)
    source = await add_source(client, owner, bot["id"], {"type": "text", "text": "Alpha beta gamma. " * 40})
    await ingest(client, runtime, owner, bot["id"], source)
    count_sql = sql("SELECT count(*), min(id) FROM chunks WHERE bot_id = :b")
    first = (await session.execute(count_sql, {"b": bot["id"]})).one()
    await ingest(client, runtime, owner, bot["id"], source)
    assert (await session.execute(count_sql, {"b": bot["id"]})).one() == first  # same rows, same ids
    await session.execute(sql("UPDATE sources SET config = '{\"text\": \"Completely new words here.\"}' "
                              "WHERE id = :s"), {"s": source["id"]})
    await ingest(client, runtime, owner, bot["id"], source)
    count, min_id = (await session.execute(count_sql, {"b": bot["id"]})).one()
    assert count == 1 and min_id != first[1]
    postings = await session.scalar(sql("SELECT count(DISTINCT chunk_id) FROM postings WHERE bot_id = :b"),
                                    {"b": bot["id"]})
    assert postings == 1


async def test_deleting_a_source_removes_its_chunks(client, runtime, session):
    from sqlalchemy import text as sql

    owner = await signup(client)
    bot = await create_bot(client, owner)
    source = await add_source(client, owner, bot["id"], {"type": "text", "text": "Penguins live in the south."})
    await ingest(client, runtime, owner, bot["id"], source)
    response = await client.delete(f"/api/v1/bots/{bot['id']}/sources/{source['id']}", headers=owner.headers)
    assert response.status_code == 204
    assert await session.scalar(sql("SELECT count(*) FROM chunks WHERE bot_id = :b"), {"b": bot["id"]}) == 0
    assert await session.scalar(sql("SELECT count(*) FROM postings WHERE bot_id = :b"), {"b": bot["id"]}) == 0
    assert await search(client, owner, bot["id"], "penguins") == []


async def test_source_list_shows_status_and_progress(client, runtime):
    owner = await signup(client)
    bot = await create_bot(client, owner)
    source = await add_source(client, owner, bot["id"], {"type": "text", "text": "One two three."})
    listed = (await client.get(f"/api/v1/bots/{bot['id']}/sources", headers=owner.headers)).json()["sources"]
    assert listed[0]["status"] == "queued" and listed[0]["progress"]["docs_done"] == 0
    await ingest(client, runtime, owner, bot["id"], source)
    listed = (await client.get(f"/api/v1/bots/{bot['id']}/sources", headers=owner.headers)).json()["sources"]
    assert listed[0]["status"] == "ready" and listed[0]["progress"] == {
        "docs_done": 1, "docs_total": 1, "chunks_done": 1, "chunks_total": 1}


async def test_each_search_mode_works(client, runtime):
    owner = await signup(client)
    bot = await create_bot(client, owner)
    source = await add_source(client, owner, bot["id"], {"type": "text", "text": "The capital of France is Paris."})
    await ingest(client, runtime, owner, bot["id"], source)
    for mode in ("lexical", "dense", "hybrid"):
        hits = await search(client, owner, bot["id"], "capital of France", mode=mode)
        assert hits and "Paris" in hits[0]["text"], mode
    assert hits[0]["relevance"] > 0.5


def test_vectors_are_written_as_text_that_gives_back_the_exact_float32():
    import numpy as np

    from parley.knowledge.models import vector_text

    vector = np.random.default_rng(7).standard_normal(384).astype(np.float32)
    text = vector_text(vector)
    assert text.startswith("[") and text.endswith("]")
    assert np.array_equal(np.array(text[1:-1].split(","), dtype=np.float32), vector)
