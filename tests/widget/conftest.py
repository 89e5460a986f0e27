"""A real `parley serve` with a bot, and third-party pages that embed its widget from other origins."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from tests.factories import PASSWORD
from tests.fakes.base import serve_app
from tests.process import ServerProcess

POLICY = "Our warehouse is in Lyon, France. Parcels leave it within two business days."


def host_page(api: str, key: str, css: str = "") -> HTMLResponse:
    return HTMLResponse(f"""<!doctype html><html lang="en"><head><title>Shop</title><style>{css}</style></head>
<body><h1>A shop</h1><p>Some content.</p>
<script>window.Parley = window.Parley || {{q: []}}; window.events = [];
["open","close","message"].forEach(e => Parley.q.push(["on", e, () => window.events.push(e)]));</script>
<script src="{api}/widget.js" data-bot="{key}" async></script></body></html>""")


def wait_for_sources(http: httpx.Client, auth: dict, bot_id: str, timeout_s: float = 90) -> None:
    """Answers cite the policy only once it is indexed; a busy CI machine can take a while."""
    deadline = time.monotonic() + timeout_s
    while True:
        statuses = [s["status"] for s in http.get(f"/api/v1/bots/{bot_id}/sources", headers=auth).json()["sources"]]
        if all(status == "ready" for status in statuses):
            return
        assert "failed" not in statuses and time.monotonic() < deadline, f"sources not indexed: {statuses}"
        time.sleep(0.1)


# Session-scoped: the Chromium and Firefox tests share one server (each browser is a new visitor).
@pytest.fixture(scope="session")
def stack():
    root = Path(tempfile.mkdtemp(prefix="parley-widget-e2e-"))
    server = ServerProcess(root / "data", env={"PARLEY_RATE_LIMIT_CHAT_VISITOR": "4/minute"})
    with server:
        state: dict = {}
        app = Starlette(routes=[
            Route("/", lambda r: host_page(server.url, state["key"])),
            Route("/hostile", lambda r: host_page(server.url, state["key"], "* { all: unset !important } "
                                                  "iframe { display: none !important }"))])
        with serve_app(app) as site, serve_app(Starlette(routes=[
                Route("/", lambda r: host_page(server.url, state["key"]))])) as other_site:
            http = httpx.Client(base_url=server.url, timeout=30)
            account = http.post("/api/v1/auth/signup", json={"email": "shop@example.com", "password": PASSWORD}).json()
            auth = {"Authorization": f"Bearer {account['access_token']}"}
            bot = http.post("/api/v1/bots", headers=auth, json={"name": "Shop helper", "allowed_origins": [site]}).json()
            http.post(f"/api/v1/bots/{bot['id']}/sources", headers=auth,
                      json={"type": "text", "name": "Shipping", "text": POLICY})
            wait_for_sources(http, auth, bot["id"])
            state["key"] = bot["public_key"]
            yield {"site": site, "other": other_site, "api": server.url, "key": bot["public_key"]}
    shutil.rmtree(root, ignore_errors=True)
