"""A polite website crawler on top of SafeHttpClient.

Order of discovery: the start page, then the URLs of the site's sitemap(s) (from robots.txt
`Sitemap:` lines, else /sitemap.xml), then same-site links breadth first. robots.txt
(for "ParleyBot"), its Crawl-delay (capped), meta robots noindex/nofollow and X-Robots-Tag
are honoured.

HTML pages are yielded with their decoded text. PDFs are yielded too, as `kind="pdf"` with
the raw bytes in `body`, so the ingestion pipeline can parse them like uploaded files; other
types are skipped. Problems with single pages (unsafe addresses, timeouts, 404s) are
recorded in the CrawlReport and never stop the crawl.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Literal
from urllib.robotparser import RobotFileParser

from parley.kit.safe_http import (
    FetchError,
    FetchResult,
    ResponseTooLargeError,
    SafeHttpClient,
    UnsafeURLError,
)
from parley.knowledge.crawl_parsing import (
    decode_html,
    looks_like_page,
    normalize_url,
    origin_of,
    parse_sitemap,
    robots_allowing_all,
    robots_disallowing_all,
    robots_from_text,
    scan_html,
    site_of,
)

logger = logging.getLogger(__name__)

BOT_NAME = "ParleyBot"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PDF_TYPE = "application/pdf"
MAX_CRAWL_DELAY_S = 5.0  # a site asking for more would make a crawl take hours
MAX_SITEMAP_FILES = 10
MAX_SITEMAP_BYTES = 5_000_000
MAX_ROBOTS_BYTES = 500_000
MAX_RECORDED_SKIPS = 500


@dataclass(frozen=True)
class CrawledPage:
    url: str  # final URL, after redirects
    status: int
    content_type: str
    depth: int
    kind: Literal["html", "pdf"]
    html: str  # decoded HTML; "" for PDFs
    body: bytes  # raw bytes as received (the PDF file for kind="pdf")


@dataclass
class CrawlReport:
    """Live counters during the crawl (for progress) and a summary after it."""

    pages_ok: int = 0
    pages_skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, reason), first 500
    skipped_count: int = 0
    bytes_total: int = 0
    queued: int = 0  # URLs discovered and waiting
    note: str | None = None  # why the crawl found nothing or stopped early

    def skip(self, url: str, reason: str) -> None:
        self.skipped_count += 1
        if len(self.pages_skipped) < MAX_RECORDED_SKIPS:
            self.pages_skipped.append((url, reason))


async def fetch_page(url: str, client: SafeHttpClient, *, timeout_s: float = 10,
                     include_pdfs: bool = True) -> CrawledPage:
    """Fetch one user-given URL (the "add one URL" source). Raises UnsafeURLError or FetchError.

    robots.txt is not consulted: a person asked for this one page, as a browser would.
    """
    normalized = normalize_url(url)
    if normalized is None:
        raise UnsafeURLError("Only http:// and https:// web addresses can be added.")
    result = await client.fetch(normalized, timeout_s=timeout_s, accept_content_types=_accepted(include_pdfs))
    if not 200 <= result.status < 300:
        raise FetchError(f"The page answered with HTTP status {result.status}.")
    return _to_page(result, depth=0)


async def crawl(
    start_url: str,
    *,
    client: SafeHttpClient,
    max_pages: int = 50,
    max_depth: int = 3,
    max_total_bytes: int = 20_000_000,
    page_timeout_s: float = 10,
    same_site_only: bool = True,
    use_sitemap: bool = True,
    include_pdfs: bool = True,
    concurrency: int = 3,
    report: CrawlReport | None = None,
    on_progress: Callable[[CrawlReport], None] | None = None,
) -> AsyncIterator[CrawledPage]:
    """Yield the site's pages as they arrive. Pass a CrawlReport to read counters and the note.

    To stop early, iterate inside `contextlib.aclosing(crawl(...))` so in-flight fetches are cancelled.
    """
    crawler = _Crawler(client=client, max_pages=max_pages, max_depth=max_depth, max_total_bytes=max_total_bytes,
                       page_timeout_s=page_timeout_s, same_site_only=same_site_only, include_pdfs=include_pdfs,
                       concurrency=concurrency, report=report if report is not None else CrawlReport(),
                       on_progress=on_progress)
    async with aclosing(crawler.run(start_url, use_sitemap=use_sitemap)) as pages:
        async for page in pages:
            yield page


def _accepted(include_pdfs: bool) -> frozenset[str]:
    return HTML_TYPES | {PDF_TYPE} if include_pdfs else HTML_TYPES


def _to_page(result: FetchResult, depth: int) -> CrawledPage:
    if result.content_type == PDF_TYPE:
        return CrawledPage(url=result.url, status=result.status, content_type=result.content_type, depth=depth,
                           kind="pdf", html="", body=result.body)
    return CrawledPage(url=result.url, status=result.status, content_type=result.content_type, depth=depth,
                       kind="html", html=decode_html(result.body, result.charset), body=result.body)


class _Crawler:
    def __init__(self, *, client: SafeHttpClient, max_pages: int, max_depth: int, max_total_bytes: int,
                 page_timeout_s: float, same_site_only: bool, include_pdfs: bool, concurrency: int,
                 report: CrawlReport, on_progress: Callable[[CrawlReport], None] | None) -> None:
        self.client = client
        self.max_pages, self.max_depth, self.max_total_bytes = max_pages, max_depth, max_total_bytes
        self.max_attempts = max_pages * 3  # failed fetches cost requests too
        self.page_timeout_s = page_timeout_s
        self.same_site_only, self.include_pdfs = same_site_only, include_pdfs
        self.concurrency = concurrency
        self.report, self.on_progress = report, on_progress
        self.queue: deque[tuple[str, int]] = deque()
        self.seen: set[str] = set()
        self.sites: set[str] = set()
        self.robots: dict[str, asyncio.Task[RobotFileParser]] = {}
        self.attempts = 0
        self.in_flight = 0
        self.out_of_bytes = False
        self.delay_s = 0.0
        self.pace_lock = asyncio.Lock()
        self.last_request_at = 0.0

    async def run(self, start_url: str, *, use_sitemap: bool) -> AsyncIterator[CrawledPage]:
        start = normalize_url(start_url)
        if start is None:
            self.report.note = "Only http:// and https:// web addresses can be crawled."
            return
        try:
            self.client.check_url(start)
        except UnsafeURLError as exc:
            self.report.skip(start, exc.message)
            self.report.note = exc.message
            return
        self.sites.add(site_of(start))
        try:
            rules = await self._robots_for(start)
            self.delay_s = min(float(rules.crawl_delay(BOT_NAME) or 0), MAX_CRAWL_DELAY_S)
            if self.delay_s:
                self.concurrency = 1
            self.seen.add(start)
            self.queue.append((start, 0))
            if use_sitemap and self.max_depth >= 1:
                for url in await self._sitemap_urls(start, rules):
                    self._enqueue(url, 1)
            async with aclosing(self._drain()) as pages:
                async for page in pages:
                    yield page
            self._finish_note(start)
        finally:
            for task in self.robots.values():
                task.cancel()

    async def _drain(self) -> AsyncIterator[CrawledPage]:
        pending: set[asyncio.Task[CrawledPage | None]] = set()
        try:
            while True:
                while len(pending) < self.concurrency and self.queue and self._budget_left():
                    url, depth = self.queue.popleft()
                    self.in_flight += 1
                    pending.add(asyncio.create_task(self._visit_safely(url, depth)))
                self.report.queued = len(self.queue)
                if not pending:
                    return
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    self.in_flight -= 1
                    page = task.result()
                    if page is not None:
                        self.report.pages_ok += 1
                    self.report.queued = len(self.queue)
                    if self.on_progress:
                        self.on_progress(self.report)
                    if page is not None:
                        yield page
        finally:  # the consumer may stop early: don't leave fetches running
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    def _budget_left(self) -> bool:
        return (self.report.pages_ok + self.in_flight < self.max_pages
                and self.attempts < self.max_attempts
                and not self.out_of_bytes)

    def _enqueue(self, url: str, depth: int) -> None:
        if url in self.seen or depth > self.max_depth or not looks_like_page(url, allow_pdf=self.include_pdfs):
            return
        if self.same_site_only and site_of(url) not in self.sites:
            return
        self.seen.add(url)
        self.queue.append((url, depth))

    async def _visit_safely(self, url: str, depth: int) -> CrawledPage | None:
        try:
            return await self._visit(url, depth)
        except Exception as exc:  # one odd page must not end the whole crawl
            logger.exception("crawler failed on %s", url)
            self.report.skip(url, f"the page couldn't be processed ({type(exc).__name__})")
            return None

    async def _visit(self, url: str, depth: int) -> CrawledPage | None:
        if not (await self._robots_for(url)).can_fetch(BOT_NAME, url):
            self.report.skip(url, "robots.txt asks crawlers not to visit it")
            return None
        self.attempts += 1
        result = await self._fetch(url, accept=_accepted(self.include_pdfs))
        if result is None:
            return None
        final = normalize_url(result.url) or url
        if final != url:
            if depth == 0:  # the start page moved (http→https, other domain): follow the site there
                self.sites.add(site_of(final))
            elif self.same_site_only and site_of(final) not in self.sites:
                self.report.skip(url, f"redirects to another site ({final})")
                return None
            if final in self.seen and depth > 0:
                return None  # same page as one already crawled
            self.seen.add(final)
        if not 200 <= result.status < 300:
            self.report.skip(url, f"the server answered with HTTP status {result.status}")
            return None
        page = _to_page(result, depth)
        if page.kind == "pdf":
            return page
        scan = scan_html(page.html, BOT_NAME)
        directives = scan.robots | {d.strip() for d in result.headers.get("x-robots-tag", "").lower().split(",")}
        if depth < self.max_depth and not directives & {"nofollow", "none"}:
            base = normalize_url(scan.base, final) if scan.base else final
            for href in scan.links:
                link = normalize_url(href, base or final)
                if link:
                    self._enqueue(link, depth + 1)
        if directives & {"noindex", "none"}:
            self.report.skip(url, "the page asks not to be indexed (noindex)")
            return None
        return page

    async def _fetch(self, url: str, *, accept: frozenset[str] | None, max_bytes: int | None = None,
                     report_errors: bool = True) -> FetchResult | None:
        await self._pace()
        remaining = self.max_total_bytes - self.report.bytes_total
        cap = min(remaining, max_bytes or self.client.max_bytes)
        if remaining <= 0:
            self.out_of_bytes = True
            return None
        try:
            result = await self.client.fetch(url, timeout_s=self.page_timeout_s, accept_content_types=accept,
                                             max_bytes=cap)
        except ResponseTooLargeError as exc:
            if cap == remaining:  # over the crawl's budget rather than the per-page cap
                self.out_of_bytes = True
                exc.message = "the crawl's download limit was reached"
            if report_errors:
                self.report.skip(url, exc.message)
            return None
        except (UnsafeURLError, FetchError) as exc:
            if report_errors:
                self.report.skip(url, exc.message)
            return None
        self.report.bytes_total += len(result.body)
        self.out_of_bytes = self.report.bytes_total >= self.max_total_bytes
        return result

    async def _pace(self) -> None:
        """Space requests by the site's Crawl-delay (concurrency is 1 when there is one)."""
        if not self.delay_s:
            return
        async with self.pace_lock:
            loop = asyncio.get_running_loop()
            wait = self.last_request_at + self.delay_s - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self.last_request_at = loop.time()

    async def _robots_for(self, url: str) -> RobotFileParser:
        origin = origin_of(url)
        if origin not in self.robots:  # one fetch per origin, shared by concurrent visits
            self.robots[origin] = asyncio.create_task(self._load_robots(origin))
        return await asyncio.shield(self.robots[origin])

    async def _load_robots(self, origin: str) -> RobotFileParser:
        # Follows RFC 9309: a missing file (4xx) allows everything; a server error disallows everything.
        try:
            result = await self.client.fetch(f"{origin}/robots.txt", timeout_s=self.page_timeout_s,
                                             max_bytes=MAX_ROBOTS_BYTES)
        except UnsafeURLError:
            return robots_allowing_all()  # the pages themselves get refused with a clear reason
        except FetchError as exc:
            self.report.skip(f"{origin}/robots.txt", f"robots.txt couldn't be read ({exc.message.rstrip('.')})")
            return robots_disallowing_all()
        if 200 <= result.status < 300:
            return robots_from_text(result.text())
        if result.status >= 500:
            self.report.skip(f"{origin}/robots.txt", f"robots.txt couldn't be read (HTTP status {result.status})")
            return robots_disallowing_all()
        return robots_allowing_all()

    async def _sitemap_urls(self, start: str, rules: RobotFileParser) -> list[str]:
        default = f"{origin_of(start)}/sitemap.xml"
        to_read = deque(rules.site_maps() or [default])
        read: set[str] = set()
        pages: list[str] = []
        while to_read and len(read) < MAX_SITEMAP_FILES and len(pages) < self.max_attempts:
            sitemap_url = normalize_url(to_read.popleft())
            if sitemap_url is None or sitemap_url in read:
                continue
            read.add(sitemap_url)
            # A missing default /sitemap.xml is normal; a declared one that fails is worth reporting.
            result = await self._fetch(sitemap_url, accept=None, max_bytes=MAX_SITEMAP_BYTES,
                                       report_errors=sitemap_url != default)
            if result is None or not 200 <= result.status < 300:
                continue
            sitemap = parse_sitemap(result.body, max_bytes=MAX_SITEMAP_BYTES)
            for location in sitemap.locations:
                url = normalize_url(location, sitemap_url)
                if url and sitemap.is_index:
                    to_read.append(url)
                elif url:
                    pages.append(url)
        return pages

    def _finish_note(self, start: str) -> None:
        report = self.report
        if report.pages_ok == 0:
            reason = next((why for url, why in report.pages_skipped if url == start), None)
            reason = reason or (report.pages_skipped[0][1] if report.pages_skipped else None)
            report.note = (f"No pages could be read from {start}: {reason.rstrip('.')}." if reason
                           else f"No readable pages were found at {start}.")
        elif self.out_of_bytes:
            limit = self.max_total_bytes
            size = f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit / 1000:g} kB"
            report.note = f"Stopped at the download limit of {size}."
        elif self.queue and report.pages_ok >= self.max_pages:
            report.note = f"Stopped at the limit of {self.max_pages} pages."
        elif self.queue:
            report.note = "Stopped after too many pages could not be read."
