"""URL and crawl sources through the whole pipeline, against a small local site."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.factories import signup
from tests.fakes.base import serve_app
from tests.knowledge.helpers import add_source, create_bot, ingest, search

PAGES = {
    "/": "<h1>Acme</h1><p>Welcome to Acme. See <a href='/returns'>returns</a> and <a href='/team'>team</a>.</p>",
    "/returns": "<h1>Returns</h1><p>Returns are accepted within 60 days at our Grenoble depot. Bring the receipt.</p>",
    "/team": "<h1>Team</h1><p>Our founder Camille started Acme in a garage in 2009. <a href='/private'>x</a></p>",
    "/private": "<h1>Private</h1><p>Robots should not read this secret staff page.</p>",
}


def _page(path: str):
    async def endpoint(request):
        return HTMLResponse(f"<html><head><title>{path}</title></head><body>{PAGES[path]}</body></html>")
    return Route(path, endpoint)


@pytest.fixture(scope="module")
def site():
    routes = [_page(p) for p in PAGES]
    routes.append(Route("/robots.txt", lambda r: PlainTextResponse("User-agent: *\nDisallow: /private\n")))
    routes.append(Route("/to-metadata", lambda r: RedirectResponse("http://169.254.169.254/latest/meta-data")))
    routes.append(Route("/empty", lambda r: Response(status_code=404)))
    with serve_app(Starlette(routes=routes)) as url:
        yield url


@pytest.fixture
async def owner_and_bot(client, runtime):
    runtime.settings.allow_private_networks = ["127.0.0.1/32"]
    owner = await signup(client)
    return owner, await create_bot(client, owner)


async def test_crawl_reaches_ready_with_searchable_pages_and_respects_robots(client, runtime, site, owner_and_bot):
    owner, bot = owner_and_bot
    source = await add_source(client, owner, bot["id"], {"type": "crawl", "url": site + "/", "max_pages": 10})
    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] == "ready", done
    assert done["progress"]["docs_done"] == 3  # /, /returns, /team; /private is disallowed
    hits = await search(client, owner, bot["id"], "how many days to return an item", k=3)
    assert "60 days" in hits[0]["text"] and hits[0]["location"]
    everything = await search(client, owner, bot["id"], "secret staff page", k=20, mode="lexical")
    assert not any("secret staff" in h["text"] for h in everything)


async def test_single_url_source(client, runtime, site, owner_and_bot):
    owner, bot = owner_and_bot
    source = await add_source(client, owner, bot["id"], {"type": "url", "url": site + "/team"})
    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] == "ready"
    assert "2009" in (await search(client, owner, bot["id"], "when was Acme founded"))[0]["text"]


async def test_redirect_to_a_blocked_address_fails_readably(client, runtime, site, owner_and_bot):
    owner, bot = owner_and_bot
    source = await add_source(client, owner, bot["id"], {"type": "url", "url": site + "/to-metadata"})
    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] == "failed" and "metadata" in done["error"]


async def test_crawl_that_finds_nothing_is_ready_with_a_note(client, runtime, site, owner_and_bot):
    owner, bot = owner_and_bot
    source = await add_source(client, owner, bot["id"], {"type": "crawl", "url": site + "/empty"})
    done = await ingest(client, runtime, owner, bot["id"], source)
    assert done["status"] == "ready" and done["progress"]["docs_done"] == 0 and done["note"]
