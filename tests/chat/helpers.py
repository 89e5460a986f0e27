from __future__ import annotations

import json

from tests.factories import Account, signup
from tests.knowledge.helpers import add_source, create_bot, ingest

POLICY = ("Refunds are available within 30 days of delivery. To request a refund, email support@acme.test "
          "with your order number. Shipping is free for orders over 50 euros. Our warehouse is in Lyon, France, "
          "and parcels leave it within two business days.")


async def bot_with_knowledge(client, runtime, owner: Account | None = None, text: str = POLICY,
                             config: dict | None = None) -> tuple[Account, dict]:
    owner = owner or await signup(client)
    bot = await create_bot(client, owner)
    if config:
        bot = (await client.patch(f"/api/v1/bots/{bot['id']}", headers=owner.headers,
                                  json={"config": config})).json()
    source = await add_source(client, owner, bot["id"], {"type": "text", "name": "Policies", "text": text})
    await ingest(client, runtime, owner, bot["id"], source)
    return owner, bot


def parse_sse(body: str) -> list[dict]:
    events = []
    for block in body.strip().split("\n\n"):
        data = [line[6:] for line in block.splitlines() if line.startswith("data: ")]
        if data:
            events.append(json.loads("".join(data)))
    return events
