"""Serve the built widget (widget/dist) and dashboard (web/out) from the API's own origin."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from parley.bots.models import Bot
from parley.kit.errors import error_body

REPO_ROOT = Path(__file__).resolve().parents[2]
WIDGET_DIST = REPO_ROOT / "widget" / "dist"
DASHBOARD_OUT = REPO_ROOT / "web" / "out"


class ImmutableStaticFiles(StaticFiles):
    """Hashed file names: cache for a year."""

    def file_response(self, *args, **kwargs):
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def _not_built(what: str) -> JSONResponse:
    return JSONResponse(error_body("not_built", f"The {what} has not been built: run ./scripts/serve."),
                        status_code=404)


def mount_frontends(app: FastAPI, *, widget_dist: Path = WIDGET_DIST, dashboard_out: Path = DASHBOARD_OUT) -> None:
    @app.get("/widget.js", include_in_schema=False)
    async def widget_loader():
        loader = widget_dist / "widget.js"
        if not loader.exists():
            return _not_built("widget")
        # Short cache: the loader's name never changes, the assets it points to do.
        return FileResponse(loader, media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"})

    @app.get("/widget/frame.html", include_in_schema=False)
    async def widget_frame(request: Request, key: str = Query(default="", max_length=64)):
        frame = widget_dist / "frame.html"
        if not frame.exists():
            return _not_built("widget")
        async with request.app.state.runtime.db.session() as session:
            bot = await session.scalar(select(Bot).where(Bot.public_key == key)) if key else None
        origins = " ".join(bot.allowed_origins) if bot is not None else ""
        # Only the bot's own sites (and Parley itself) may frame the chat: a copied key is useless elsewhere.
        return HTMLResponse(frame.read_text(), headers={
            "Content-Security-Policy": f"frame-ancestors 'self' {origins}".strip(),
            "Cache-Control": "no-cache", "Referrer-Policy": "no-referrer"})

    if (widget_dist / "app").is_dir():
        app.mount("/widget/app", ImmutableStaticFiles(directory=widget_dist / "app"), name="widget-app")
    if dashboard_out.is_dir():
        root = dashboard_out.resolve()

        # A GET route rather than a mount: unknown API paths and methods keep their JSON 404/405.
        @app.get("/{path:path}", include_in_schema=False)
        async def dashboard(path: str):
            if path.split("/", 1)[0] in ("api", "v1"):
                raise HTTPException(status_code=404, detail="Not found.")
            clean = path.strip("/")
            for candidate in (clean, f"{clean}.html", f"{clean}/index.html" if clean else "index.html"):
                target = (root / candidate).resolve()
                if target.is_file() and target.is_relative_to(root):
                    immutable = candidate.startswith("_next/static/")
                    cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
                    return FileResponse(target, headers={"Cache-Control": cache})
            missing = root / "404.html"
            if missing.is_file():
                return FileResponse(missing, status_code=404)
            raise HTTPException(status_code=404, detail="Not found.")
