"""The API serves the built widget and dashboard, with the right caching and framing rules."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from parley.frontend import mount_frontends
from parley.kit.errors import install_error_handlers
from tests.chat.helpers import bot_with_knowledge


@pytest.fixture
def built(tmp_path):
    widget, web = tmp_path / "widget", tmp_path / "web"
    (widget / "app").mkdir(parents=True)
    (widget / "widget.js").write_text("/* loader */")
    (widget / "frame.html").write_text("<html>frame</html>")
    (widget / "app" / "app-1a2b.js").write_text("/* app */")
    (web / "bots").mkdir(parents=True)
    (web / "_next" / "static").mkdir(parents=True)
    (web / "index.html").write_text("<html>home</html>")
    (web / "bots" / "index.html").write_text("<html>bots</html>")
    (web / "404.html").write_text("<html>missing</html>")
    (web / "_next" / "static" / "x.js").write_text("//")
    return widget, web


@pytest.fixture
async def static_client(built, runtime):
    app = FastAPI()
    install_error_handlers(app)
    app.state.runtime = runtime
    mount_frontends(app, widget_dist=built[0], dashboard_out=built[1])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http


async def test_widget_assets_and_caching(static_client):
    loader = await static_client.get("/widget.js")
    assert loader.status_code == 200 and "max-age=300" in loader.headers["cache-control"]
    asset = await static_client.get("/widget/app/app-1a2b.js")
    assert "immutable" in asset.headers["cache-control"]


async def test_frame_can_only_be_embedded_by_the_bots_origins(static_client, client, runtime):
    owner, bot = await bot_with_knowledge(client, runtime)
    await client.patch(f"/api/v1/bots/{bot['id']}", headers=owner.headers,
                       json={"allowed_origins": ["https://shop.example.com"]})
    frame = await static_client.get(f"/widget/frame.html?key={bot['public_key']}")
    assert frame.headers["content-security-policy"] == "frame-ancestors 'self' https://shop.example.com"
    unknown = await static_client.get("/widget/frame.html?key=pk_nope")
    assert unknown.headers["content-security-policy"] == "frame-ancestors 'self'"


async def test_dashboard_pages_and_not_found(static_client):
    assert (await static_client.get("/")).text == "<html>home</html>"
    assert (await static_client.get("/bots/")).text == "<html>bots</html>"
    assert "immutable" in (await static_client.get("/_next/static/x.js")).headers["cache-control"]
    missing = await static_client.get("/nowhere/")
    assert missing.status_code == 404 and "missing" in missing.text
    api = await static_client.get("/api/v1/unknown")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
    traversal = await static_client.get("/..%2F..%2F..%2Fetc%2Fpasswd")
    assert traversal.status_code == 404 and "root:" not in traversal.text
