"""Build bots and sources through the API, and run their ingestion the way the job does."""

from __future__ import annotations

from pathlib import Path

from parley.knowledge.ingestion import Ingestor
from tests.factories import Account

FIXTURES = Path(__file__).parent.parent / "fixtures"
DOCS = FIXTURES / "docs"


async def create_bot(client, owner: Account, name: str = "Helper") -> dict:
    response = await client.post("/api/v1/bots", headers=owner.headers, json={"name": name, "org_id": owner.org_id})
    assert response.status_code == 201, response.text
    return response.json()


async def upload(client, owner: Account, bot_id: str, *files: tuple[str, bytes, str]) -> list[dict]:
    response = await client.post(f"/api/v1/bots/{bot_id}/sources", headers=owner.headers,
                                 files=[("files", f) for f in files])
    assert response.status_code == 201, response.text
    return response.json()["sources"]


async def add_source(client, owner: Account, bot_id: str, body: dict) -> dict:
    response = await client.post(f"/api/v1/bots/{bot_id}/sources", headers=owner.headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()["sources"][0]


async def ingest(client, runtime, owner: Account, bot_id: str, source: dict) -> dict:
    """Run the ingestion job's code for this source, then return the source as the API shows it."""
    await Ingestor(runtime).run(source["id"])
    response = await client.get(f"/api/v1/bots/{bot_id}/sources/{source['id']}", headers=owner.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def search(client, owner: Account, bot_id: str, query: str, k: int = 5, mode: str = "hybrid") -> list[dict]:
    response = await client.post(f"/api/v1/bots/{bot_id}/search", headers=owner.headers,
                                 json={"query": query, "k": k, "mode": mode})
    assert response.status_code == 200, response.text
    return response.json()["hits"]
