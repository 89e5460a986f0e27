"""`parley ingest`: a folder becomes one source whose documents are indexed in batches."""

from __future__ import annotations

import uuid

from parley.knowledge import bulk
from parley.knowledge.bulk import ingest
from parley.knowledge.repository import PART_SIZE
from tests.factories import signup
from tests.knowledge.helpers import DOCS, create_bot, search


async def test_folder_and_file_targets(client, runtime, tmp_path, capsys):
    owner = await signup(client)
    bot = await create_bot(client, owner)
    folder = tmp_path / "handbook"
    folder.mkdir()
    for name in ("wiki_ibm.md", "wiki_duck.html", "word_sample.docx"):
        (folder / name).write_bytes((DOCS / name).read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 nothing useful")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    failures = await ingest(runtime, uuid.UUID(bot["id"]), [str(folder), str(DOCS / "amt_handbook_sample.pdf"),
                                                             str(tmp_path / "missing.txt")])
    output = capsys.readouterr().out
    assert failures == 2 and "unsupported file type" in output and "not found" in output
    sources = (await client.get(f"/api/v1/bots/{bot['id']}/sources", headers=owner.headers)).json()["sources"]
    by_name = {s["name"]: s for s in sources}
    assert by_name["handbook"]["status"] == "ready" and by_name["handbook"]["progress"]["docs_done"] == 3
    assert "broken.pdf" in by_name["handbook"]["note"]
    assert by_name["amt_handbook_sample.pdf"]["status"] == "ready"
    assert (await search(client, owner, bot["id"], "Where is IBM headquartered?"))[0]["source"] == "handbook"


async def test_many_small_files_and_one_over_a_part(client, runtime, tmp_path, monkeypatch):
    # Small files are stored a group at a time; a file over one part is streamed in parts.
    monkeypatch.setattr(bulk, "SMALL_FILES_PER_INSERT", 2)
    owner = await signup(client)
    bot = await create_bot(client, owner)
    folder = tmp_path / "notes"
    folder.mkdir()
    for number in range(5):
        (folder / f"note{number}.txt").write_text(f"Locker {number} holds the spare keys for floor {number + 10}.")
    filler = "Routine maintenance notes with nothing remarkable in them. " * (PART_SIZE // 60 + 100)
    (folder / "large.txt").write_text(filler + "\n\nThe boiler room door code is 4512.")
    (folder / "empty.txt").write_text("")
    failures = await ingest(runtime, uuid.UUID(bot["id"]), [str(folder)])
    assert failures == 0
    source = (await client.get(f"/api/v1/bots/{bot['id']}/sources", headers=owner.headers)).json()["sources"][0]
    assert source["status"] == "ready" and source["progress"]["docs_done"] == 6
    assert "empty.txt" in source["note"]
    assert "4512" in (await search(client, owner, bot["id"], "boiler room door code"))[0]["text"]
    assert "floor 13" in (await search(client, owner, bot["id"], "Which locker has the keys for floor 13?"))[0]["text"]
