"""The crawler against small local sites served over real HTTP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from parley.kit.safe_http import FetchError, SafeHttpClient, UnsafeURLError
from parley.knowledge.crawler import CrawledPage, CrawlReport, crawl, fetch_page
from tests.fakes.base import serve_app

PDF_BYTES = b"%PDF-1.4\n% a tiny stand-in\n%%EOF\n"
LINKS = {
    "/": ["/about", "/about#team", "/docs/1", "/private/secret", "/image.png", "mailto:hi@example.com",
          "http://169.254.169.254/", "/metadata-redirect", "/slow", "/manual.pdf", "/gone", "/noindex"],
    "/about": ["/", "/docs/1"],
    "/docs/1": ["/docs/2"], "/docs/2": ["/docs/3"], "/docs/3": ["/docs/4"], "/docs/4": ["/docs/5"],
    "/noindex": ["/after-noindex"], "/after-noindex": [], "/orphan": [], "/private/secret": [],
}


def page_html(path: str, *, head: str = "") -> str:
    links = "".join(f'<a href="{href}">{href}</a> ' for href in LINKS.get(path, []))
    return f"<html><head><title>{path}</title>{head}</head><body><p>Page {path}</p>{links}</body></html>"


def make_site(*, robots: str | None, sitemap: bool, requested: list[str]) -> Starlette:
    async def robots_txt(request: Request) -> Response:
        if robots is None:
            return PlainTextResponse("not found", status_code=404)
        return PlainTextResponse(robots.replace("{base}", str(request.base_url).rstrip("/")))

    async def sitemap_index(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        return Response(f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                        f"<sitemap><loc>{base}/sitemap-pages.xml</loc></sitemap></sitemapindex>",
                        media_type="application/xml")

    async def sitemap_pages(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        urls = "".join(f"<url><loc>{base}{path}</loc></url>" for path in ("/", "/about", "/orphan", "/private/secret"))
        return Response(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
                        media_type="application/xml")

    async def page(request: Request) -> Response:
        path = request.url.path
        if path == "/slow":
            await asyncio.sleep(1)
        if path == "/metadata-redirect":
            return RedirectResponse("http://169.254.169.254/latest/meta-data/", status_code=302)
        if path == "/manual.pdf":
            return Response(PDF_BYTES, media_type="application/pdf")
        if path not in LINKS and path != "/slow":
            return HTMLResponse("<p>Not here</p>", status_code=404)
        head = '<meta name="robots" content="noindex">' if path == "/noindex" else ""
        return HTMLResponse(page_html(path, head=head))

    routes = [Route("/robots.txt", robots_txt), Route("/{path:path}", page)]
    if sitemap:
        routes[1:1] = [Route("/sitemap_index.xml", sitemap_index), Route("/sitemap-pages.xml", sitemap_pages)]
    app = Starlette(routes=routes)

    async def recording_app(scope, receive, send) -> None:
        if scope["type"] == "http":
            requested.append(scope["path"])
        await app(scope, receive, send)

    return recording_app  # type: ignore[return-value]


FULL_ROBOTS = "User-agent: *\nDisallow: /private\n\nSitemap: {base}/sitemap_index.xml\n"


@pytest.fixture(scope="module")
def full_site() -> Iterator[tuple[str, list[str]]]:
    requested: list[str] = []
    with serve_app(make_site(robots=FULL_ROBOTS, sitemap=True, requested=requested)) as url:
        yield url, requested


@pytest.fixture
async def client() -> AsyncIterator[SafeHttpClient]:
    async with SafeHttpClient(allow_networks=["127.0.0.1/32"]) as safe_client:
        yield safe_client


async def collect(start: str, client: SafeHttpClient, **options) -> tuple[list[CrawledPage], CrawlReport]:
    report = CrawlReport()
    pages = [page async for page in crawl(start, client=client, report=report, **options)]
    return pages, report


def paths(pages: list[CrawledPage], base: str) -> set[str]:
    return {page.url.removeprefix(base) for page in pages}


async def test_crawls_sitemap_and_links_politely(full_site, client) -> None:
    base, requested = full_site
    pages, report = await collect(f"{base}/", client, max_depth=3, page_timeout_s=0.3)
    assert paths(pages, base) == {"/", "/about", "/orphan", "/docs/1", "/docs/2", "/docs/3", "/manual.pdf",
                                  "/after-noindex"}
    by_path = {page.url.removeprefix(base): page for page in pages}
    assert by_path["/orphan"].depth == 1  # known only from the sitemap
    assert by_path["/docs/3"].depth == 3 and "Page /docs/3" in by_path["/docs/3"].html
    assert (by_path["/manual.pdf"].kind, by_path["/manual.pdf"].body) == ("pdf", PDF_BYTES)
    assert report.pages_ok == len(pages) and report.note is None
    reasons = dict(report.pages_skipped)
    assert "robots.txt" in reasons[f"{base}/private/secret"]
    assert "cloud metadata" in reasons[f"{base}/metadata-redirect"]
    assert "longer than" in reasons[f"{base}/slow"]
    assert "404" in reasons[f"{base}/gone"] and "noindex" in reasons[f"{base}/noindex"]
    assert "/private/secret" not in requested and "/image.png" not in requested and "/docs/4" not in requested
    assert requested.count("/about") == 1  # fragments stripped, duplicates fetched once


async def test_depth_and_page_limits(full_site, client) -> None:
    base, _ = full_site
    pages, report = await collect(f"{base}/", client, max_depth=1, use_sitemap=False, page_timeout_s=0.3)
    assert paths(pages, base) == {"/", "/about", "/docs/1", "/manual.pdf"}
    pages, report = await collect(f"{base}/", client, max_pages=3, use_sitemap=False, page_timeout_s=0.3)
    assert len(pages) == 3 and report.note == "Stopped at the limit of 3 pages."
    pages, report = await collect(f"{base}/", client, max_total_bytes=700, use_sitemap=False, page_timeout_s=0.3)
    assert 1 <= len(pages) <= 3  # "/" is 540 bytes; pages already in flight may still land
    assert report.note == "Stopped at the download limit of 0.7 kB."


async def test_progress_and_early_stop(full_site, client) -> None:
    base, _ = full_site
    seen_counts: list[int] = []
    async with aclosing(crawl(f"{base}/", client=client, on_progress=lambda r: seen_counts.append(r.pages_ok))) as pages:
        async for _page in pages:
            break
    assert seen_counts and seen_counts[0] <= 1


async def test_unsafe_links_are_skipped_and_reported(full_site, client) -> None:
    base, _ = full_site
    pages, report = await collect(f"{base}/", client, max_depth=1, same_site_only=False, use_sitemap=False,
                                  page_timeout_s=0.3)
    assert "/" in paths(pages, base)
    assert "cloud metadata" in dict(report.pages_skipped)["http://169.254.169.254/"]


@pytest.mark.parametrize(
    ("robots", "expected"),
    [("User-agent: ParleyBot\nDisallow: /\n", "robots.txt asks crawlers not to visit it"),
     (None, "the server answered with HTTP status 404")],
)
async def test_crawl_that_finds_nothing_explains_why(client, robots: str | None, expected: str) -> None:
    requested: list[str] = []
    with serve_app(make_site(robots=robots, sitemap=False, requested=requested)) as base:
        pages, report = await collect(f"{base}/nowhere", client)
    assert pages == [] and report.pages_ok == 0
    assert report.note == f"No pages could be read from {base}/nowhere: {expected}."
    assert "/sitemap.xml" in requested and not any(url.endswith("/sitemap.xml") for url, _ in report.pages_skipped)


async def test_without_sitemap_follows_links_and_honours_crawl_delay(client) -> None:
    requested: list[str] = []
    with serve_app(make_site(robots="User-agent: *\nCrawl-delay: 1\n", sitemap=False, requested=requested)) as base:
        started = time.monotonic()
        pages, _ = await collect(f"{base}/", client, max_pages=2, use_sitemap=False, concurrency=3)
        elapsed = time.monotonic() - started
    assert paths(pages, base) == {"/", "/about"} and elapsed >= 1  # one request at a time, 1 s apart


async def test_unsafe_start_url(client) -> None:
    pages, report = await collect("http://10.0.0.1/", client)
    assert pages == [] and "private network" in (report.note or "")
    pages, report = await collect("ftp://example.com/", client)
    assert pages == [] and "http" in (report.note or "")


async def test_fetch_page(full_site, client) -> None:
    base, _ = full_site
    page = await fetch_page(f"{base}/about#team", client)
    assert (page.url, page.kind, page.depth) == (f"{base}/about", "html", 0) and "Page /about" in page.html
    assert (await fetch_page(f"{base}/manual.pdf", client)).kind == "pdf"
    with pytest.raises(FetchError, match="404"):
        await fetch_page(f"{base}/gone", client)
    with pytest.raises(UnsafeURLError, match="cloud metadata"):
        await fetch_page(f"{base}/metadata-redirect", client)
    with pytest.raises(UnsafeURLError):
        await fetch_page("javascript:alert(1)", client)
