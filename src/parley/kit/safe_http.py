"""An SSRF-guarded async HTTP client for URLs that users give us.

Every TCP connection goes through `_PinnedBackend`, an httpcore network backend that
resolves the host once, refuses the connection if any address is not public, and then
connects to one of those very addresses. The check and the connect therefore use the same
DNS answer, so DNS rebinding can't slip in between. The URL keeps its hostname, so the
Host header, TLS SNI and certificate checks all stay tied to the name the user typed.
"""

from __future__ import annotations

import asyncio
import ssl
import zlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpcore
import httpx

from parley.kit.address_guard import (
    AddressGuard,
    FetchError,
    Resolver,
    UnsafeURLError,
    blocked_reason,
    check_hostname,
    parse_host_ip,
)

__all__ = ["FetchError", "FetchResult", "ResponseTooLargeError", "SafeHttpClient", "UnsafeURLError"]

DEFAULT_USER_AGENT = "ParleyBot/0.1 (+https://github.com/parley)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Headers still sent after a redirect to another origin; the rest may carry secrets.
CROSS_ORIGIN_SAFE_HEADERS = frozenset({"accept", "accept-language", "user-agent", "accept-encoding"})


class ResponseTooLargeError(FetchError):
    """The body went over the byte cap (which callers may have set from their own budget)."""


@dataclass(frozen=True)
class FetchResult:
    url: str  # final URL, after redirects
    status: int
    headers: httpx.Headers
    content_type: str  # lower-case media type without parameters, "" when absent
    body: bytes

    @property
    def charset(self) -> str | None:
        for param in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip('"') or None
        return None

    def text(self) -> str:
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # unknown charset name sent by the server
            return self.body.decode("utf-8", errors="replace")


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses the guard has just approved for this very connection."""

    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        async with asyncio.timeout(timeout):
            addresses = await self._guard.resolve(host, port)
        last_error: Exception | None = None
        for ip in addresses:
            try:  # a literal IP: the inner backend does no DNS lookup of its own
                return await self._inner.connect_tcp(
                    str(ip), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        raise UnsafeURLError("Local sockets can't be fetched.")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class _BodyStream(httpx.AsyncByteStream):
    def __init__(self, raw: Any) -> None:
        self._raw = raw

    async def __aiter__(self):  # type: ignore[override]
        async for chunk in self._raw:
            yield chunk

    async def aclose(self) -> None:
        if hasattr(self._raw, "aclose"):
            await self._raw.aclose()


_NETWORK_ERRORS = (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol,
                   httpcore.PoolTimeout, httpcore.ConnectionNotAvailable)


class SafeHttpClient:
    """Fetches user-given URLs without reaching private networks. One per event loop."""

    def __init__(
        self,
        *,
        allow_networks: Iterable[str] = (),
        timeout_s: float = 10,
        connect_timeout_s: float = 5,
        max_bytes: int = 5_000_000,
        max_redirects: int = 5,
        user_agent: str = DEFAULT_USER_AGENT,
        allowed_ports: Collection[int] | None = None,
        resolver: Resolver | None = None,
        ssl_context: ssl.SSLContext | None = None,
        max_connections: int = 20,
    ) -> None:
        self.user_agent = user_agent
        self.max_bytes = max_bytes  # default cap per response
        self._timeout_s = timeout_s
        self._connect_timeout_s = connect_timeout_s
        self._max_redirects = max_redirects
        self._allowed_ports = frozenset(allowed_ports) if allowed_ports is not None else None
        self._guard = AddressGuard(allow_networks=allow_networks, resolver=resolver)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=max_connections,
            max_keepalive_connections=max_connections // 2,
            retries=0,
            network_backend=_PinnedBackend(self._guard),
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._pool.aclose()

    def check_url(self, url: str | httpx.URL) -> httpx.URL:
        """Parse `url` and refuse schemes, credentials and ports we don't allow (no DNS yet)."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as exc:
            host = _raw_host(str(url))
            ip = parse_host_ip(host) if host else None
            if ip is not None:  # e.g. 0177.0.0.1, which httpx refuses to parse
                reason = blocked_reason(ip) or "is written in an unusual numeric form"
                raise UnsafeURLError(f"{host} {reason} and can't be fetched.") from exc
            raise UnsafeURLError("That isn't a valid web address.") from exc
        if parsed.scheme not in ("http", "https"):
            raise UnsafeURLError("Only http:// and https:// addresses can be fetched.")
        if parsed.userinfo:
            raise UnsafeURLError("Web addresses with a user name or password can't be fetched.")
        if parsed.port is not None and not 0 < parsed.port < 65536:
            raise UnsafeURLError("That web address has an invalid port.")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        if self._allowed_ports is not None and port not in self._allowed_ports:
            raise UnsafeURLError(f"Port {port} isn't allowed.")
        check_hostname(parsed.host)
        literal_ip = parse_host_ip(parsed.host)
        if literal_ip is not None:  # fail early; the connect-time check would refuse it too
            self._guard.check_ip(literal_ip, parsed.host)
        return parsed

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        content: bytes | None = None,
        params: Mapping[str, str] | None = None,
        max_bytes: int | None = None,
        timeout_s: float | None = None,
        accept_content_types: Collection[str] | None = None,
    ) -> FetchResult:
        """Fetch `url`, following redirects. Any status is returned; only transport problems raise.

        `accept_content_types` (e.g. {"text/html", "application/pdf"}) stops a 2xx response of
        another type before its body is downloaded, raising FetchError.
        """
        timeout = timeout_s if timeout_s is not None else self._timeout_s
        try:
            async with asyncio.timeout(timeout):
                return await self._fetch(url, method, headers, json, content, params,
                                         max_bytes or self.max_bytes, timeout, accept_content_types)
        except (TimeoutError, httpcore.TimeoutException) as exc:
            raise FetchError(f"The site took longer than {timeout:g} s to respond.") from exc
        except _NETWORK_ERRORS as exc:
            if _caused_by(exc, ssl.SSLCertVerificationError):
                raise FetchError("Couldn't connect to the site: its security certificate isn't valid.") from exc
            raise FetchError(f"Couldn't connect to the site ({type(exc).__name__}).") from exc

    async def _fetch(self, url: str, method: str, headers: Mapping[str, str] | None, json: Any,
                     content: bytes | None, params: Mapping[str, str] | None, max_bytes: int,
                     timeout: float, accept_content_types: Collection[str] | None) -> FetchResult:
        current = self.check_url(url)
        if params:
            current = current.copy_merge_params(params)
        send_headers = {"User-Agent": self.user_agent, "Accept": "*/*", "Accept-Encoding": "gzip, deflate"}
        send_headers.update(headers or {})
        for _hop in range(self._max_redirects + 1):
            request = httpx.Request(method, current, headers=send_headers, json=json, content=content)
            request.extensions["timeout"] = {"connect": min(self._connect_timeout_s, timeout),
                                             "read": timeout, "write": timeout, "pool": timeout}
            response = await self._send(request)
            location = response.headers.get("location")
            if response.status_code not in REDIRECT_STATUSES or not location:
                return await self._read(current, response, max_bytes, accept_content_types)
            await response.aclose()
            target = self._redirect_target(current, location.strip())
            if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
                method, json, content = ("HEAD" if method == "HEAD" else "GET"), None, None
            if (target.scheme, target.host, target.port) != (current.scheme, current.host, current.port):
                send_headers = {k: v for k, v in send_headers.items() if k.lower() in CROSS_ORIGIN_SAFE_HEADERS}
            current = target
        raise FetchError(f"The site redirected more than {self._max_redirects} times.")

    def _redirect_target(self, current: httpx.URL, location: str) -> httpx.URL:
        try:
            joined = current.join(location)
        except httpx.InvalidURL:
            joined = None
        return self.check_url(joined if joined is not None else location)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        core_response = await self._pool.handle_async_request(core_request)
        return httpx.Response(status_code=core_response.status, headers=core_response.headers,
                              stream=_BodyStream(core_response.stream), request=request)

    async def _read(self, url: httpx.URL, response: httpx.Response, max_bytes: int,
                    accept_content_types: Collection[str] | None) -> FetchResult:
        try:
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if accept_content_types is not None and response.is_success and content_type not in accept_content_types:
                raise FetchError(f"The content type {content_type or 'unknown'} isn't supported here.")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise ResponseTooLargeError(f"The response is larger than the {_size(max_bytes)} limit.")
            body = await _read_capped(response, max_bytes)
        finally:
            await response.aclose()
        return FetchResult(url=str(url), status=response.status_code, headers=response.headers,
                           content_type=content_type, body=body)


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The decoded body, refusing more than `max_bytes` even for a compression bomb."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
        raise FetchError(f"The site answered with an unsupported encoding ({encoding}).")
    # 47 = auto-detect a gzip or zlib header
    decoder = None if encoding in ("identity", "") else zlib.decompressobj(47)
    body = bytearray()
    async for raw in response.aiter_raw():
        pending = raw
        while pending:
            if decoder is None:
                chunk, pending = pending, b""
            else:  # max_length bounds the memory one compressed chunk can expand into
                try:
                    chunk = decoder.decompress(pending, max_bytes - len(body) + 1)
                except zlib.error as exc:
                    raise FetchError("The site sent a corrupted compressed response.") from exc
                pending = decoder.unconsumed_tail
            body += chunk
            if len(body) > max_bytes:
                raise ResponseTooLargeError(f"The response is larger than the {_size(max_bytes)} limit.")
    if decoder is not None:
        body += decoder.flush()
        if len(body) > max_bytes:
            raise ResponseTooLargeError(f"The response is larger than the {_size(max_bytes)} limit.")
    return bytes(body)


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    for _ in range(5):  # httpcore and anyio each wrap the original error
        if seen is None:
            return False
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _raw_host(url: str) -> str:
    authority = url.partition("://")[2].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = authority.rpartition("@")[2]
    return host if host.startswith("[") else host.split(":", 1)[0]


def _size(n: int) -> str:
    return f"{n / 1_000_000:g} MB" if n >= 1_000_000 else f"{n / 1000:g} kB"
