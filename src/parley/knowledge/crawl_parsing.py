"""Pure helpers for the crawler: URL normalisation, link and meta-robots scanning, sitemaps, robots.txt."""

from __future__ import annotations

import html
import re
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

DEFAULT_PORTS = {"http": 80, "https": 443}
# Links to these are never pages or PDFs; not fetching them saves requests and budget.
NON_PAGE_EXTENSIONS = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico", ".bmp", ".tif", ".tiff", ".avif", ".mp4",
    ".mov", ".avi", ".webm", ".mkv", ".mp3", ".wav", ".ogg", ".flac", ".m4a", ".zip", ".gz", ".tgz",
    ".rar", ".7z", ".tar", ".bz2", ".xz", ".exe", ".dmg", ".msi", ".apk", ".iso", ".bin", ".css", ".js",
    ".mjs", ".json", ".xml", ".rss", ".atom", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".csv", ".xls",
    ".xlsx", ".ppt", ".pptx", ".doc", ".docx",
})
_LOC = re.compile(
    rb"<(?:\w+:)?loc>\s*(?:<!\[CDATA\[)?\s*(.*?)\s*(?:\]\]>)?\s*</(?:\w+:)?loc>", re.DOTALL | re.IGNORECASE
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def normalize_url(url: str, base: str | None = None) -> str | None:
    """Absolute http(s) URL without fragment, credentials or default port; None when not crawlable."""
    try:
        parts = urlsplit(urljoin(base, url.strip()) if base else url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if scheme not in DEFAULT_PORTS or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def site_of(url: str) -> str:
    """The host, without a leading "www.", so example.com and www.example.com are one site."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def looks_like_page(url: str, *, allow_pdf: bool) -> bool:
    path = urlsplit(url).path.lower()
    extension = path[path.rfind("."):] if "." in path.rsplit("/", 1)[-1] else ""
    return extension not in NON_PAGE_EXTENSIONS and (allow_pdf or extension != ".pdf")


@dataclass
class PageScan:
    links: list[str] = field(default_factory=list)
    base: str | None = None
    robots: set[str] = field(default_factory=set)  # meta robots directives, e.g. {"noindex"}


class _Scanner(HTMLParser):
    def __init__(self, bot_name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = PageScan()
        self._robot_names = {"robots", bot_name.lower()}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ("a", "area") and values.get("href"):
            if "nofollow" not in values.get("rel", "").lower().split():
                self.scan.links.append(values["href"])
        elif tag == "base" and self.scan.base is None and values.get("href"):
            self.scan.base = values["href"]
        elif tag == "meta" and values.get("name", "").lower() in self._robot_names:
            self.scan.robots.update(d.strip() for d in values.get("content", "").lower().split(","))


def scan_html(text: str, bot_name: str) -> PageScan:
    scanner = _Scanner(bot_name)
    scanner.feed(text)
    scanner.close()
    return scanner.scan


def decode_html(body: bytes, header_charset: str | None) -> str:
    """Decode with the header's charset, else a <meta charset>, else UTF-8."""
    charset = header_charset
    if not charset:
        match = _META_CHARSET.search(body[:4096])
        charset = match.group(1).decode("ascii") if match else "utf-8"
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


@dataclass
class Sitemap:
    is_index: bool
    locations: list[str]


def parse_sitemap(body: bytes, *, max_bytes: int) -> Sitemap:
    """Read <loc> entries leniently (no XML parser: no entity tricks, tolerant of broken files)."""
    if body[:2] == b"\x1f\x8b":  # sitemap.xml.gz served without Content-Encoding
        try:
            body = zlib.decompressobj(47).decompress(body, max_bytes)
        except zlib.error:
            return Sitemap(is_index=False, locations=[])
    locations = [html.unescape(m.decode("utf-8", errors="replace")) for m in _LOC.findall(body)]
    return Sitemap(is_index=b"<sitemapindex" in body[:2048].lower(), locations=locations)


def robots_from_text(text: str) -> RobotFileParser:
    rules = RobotFileParser()
    rules.parse(text.splitlines())  # also marks the rules as loaded, which can_fetch requires
    return rules


def robots_allowing_all() -> RobotFileParser:
    return robots_from_text("")


def robots_disallowing_all() -> RobotFileParser:
    rules = robots_from_text("")
    rules.disallow_all = True
    return rules
