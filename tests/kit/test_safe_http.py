"""SafeHttpClient against a real loopback server: SSRF refusals, pinning, redirects, limits."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from parley.kit.address_guard import blocked_reason, parse_host_ip
from parley.kit.safe_http import FetchError, SafeHttpClient, UnsafeURLError
from tests.fakes.base import serve_app

LOCAL = ["127.0.0.1/32"]


async def hello(request: Request) -> Response:
    headers = {"connection": "close"} if "close" in request.query_params else {}
    return Response("<p>héllo</p>".encode("latin-1"), media_type="text/html; charset=iso-8859-1", headers=headers)


async def echo(request: Request) -> Response:
    body = await request.body()
    return JSONResponse({"method": request.method, "headers": dict(request.headers), "body": body.decode()})


async def redirect_to(request: Request) -> Response:
    return RedirectResponse(request.query_params["url"], status_code=int(request.query_params.get("status", 302)))


async def loop(request: Request) -> Response:
    return RedirectResponse("/loop", status_code=302)


async def big(request: Request) -> Response:
    if "stream" in request.query_params:  # no Content-Length: the cap must hold while reading

        async def chunks():
            for _ in range(100):
                yield b"x" * 10_000

        return StreamingResponse(chunks(), media_type="text/plain")
    return PlainTextResponse("x" * 1_000_000)


BOMB = gzip.compress(b"\0" * 20_000_000)  # ~20 kB on the wire


async def bomb(request: Request) -> Response:
    return Response(BOMB, media_type="text/plain", headers={"content-encoding": "gzip"})


async def gzipped(request: Request) -> Response:
    return Response(gzip.compress(b"compressed text"), media_type="text/plain", headers={"content-encoding": "gzip"})


async def slow(request: Request) -> Response:
    await asyncio.sleep(1)
    return PlainTextResponse("late")


async def image(request: Request) -> Response:
    return Response(b"\x89PNG" + b"\0" * 100, media_type="image/png")


app = Starlette(routes=[
    Route("/hello", hello), Route("/echo", echo, methods=["GET", "POST"]),
    Route("/redirect-to", redirect_to, methods=["GET", "POST"]), Route("/loop", loop), Route("/big", big),
    Route("/bomb", bomb), Route("/gzipped", gzipped), Route("/slow", slow), Route("/image.png", image),
])


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_app(app) as url:
        yield url


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def fixed_resolver(mapping: dict[str, list[str]], calls: list[str] | None = None):
    async def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in mapping:
            raise OSError(f"unknown host {host}")
        return mapping[host]

    return resolve


BLOCKED_URLS = [
    "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/", "http://127.0.0.1/", "http://127.8.9.1:8080/",
    "http://[::1]/", "http://169.254.169.254/latest/meta-data/", "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/", "http://0.0.0.0/", "http://[::]/", "http://2130706433/",
    "http://0177.0.0.1/", "http://0x7f.1/", "http://127.1/", "http://100.64.0.1/", "http://[fd00:ec2::254]/",
    "http://[fc00::1]/", "http://[fe80::1]/", "http://[fe80::1%25eth0]/", "http://224.0.0.1/", "http://255.255.255.255/",
    "http://[2002:7f00:1::]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[fec0::1]/", "http://198.18.0.1/",
    "http://metadata.google.internal/computeMetadata/v1/", "http://METADATA.google.internal./",
    "file:///etc/passwd", "ftp://example.com/", "gopher://example.com/", "javascript:alert(1)",
    "http://user:secret@example.com/", "http://example.com@127.0.0.1/", "http://:80/",
]


@pytest.mark.parametrize("url", BLOCKED_URLS)
async def test_refuses_unsafe_urls_before_connecting(url: str) -> None:
    calls: list[str] = []
    async with SafeHttpClient(resolver=fixed_resolver({}, calls)) as client:
        with pytest.raises(UnsafeURLError) as err:
            await client.fetch(url)
    assert calls == []  # refused from the URL alone: no DNS lookup, no connection
    assert "can't be fetched" in err.value.message or "address" in err.value.message


async def test_plain_words_in_refusals() -> None:
    async with SafeHttpClient() as client:
        with pytest.raises(UnsafeURLError, match="points to a private network and can't be fetched"):
            await client.fetch("http://10.1.2.3/")
        with pytest.raises(UnsafeURLError, match="cloud metadata"):
            await client.fetch("http://169.254.169.254/")
        with pytest.raises(UnsafeURLError, match="this server itself"):
            await client.fetch("http://2130706433/")


def test_public_addresses_pass() -> None:
    for text in ("8.8.8.8", "1.1.1.1", "2606:4700::1111", "2002:808:808::", "64:ff9b::808:808"):
        ip = parse_host_ip(text)
        assert ip is not None and blocked_reason(ip) is None, text


async def test_hostname_resolving_to_loopback_is_refused() -> None:
    async with SafeHttpClient() as client:  # the real system resolver: localhost is in /etc/hosts
        with pytest.raises(UnsafeURLError, match="localhost"):
            await client.fetch("http://localhost:9/")


async def test_any_blocked_address_refuses_the_host(base_url: str) -> None:
    resolver = fixed_resolver({"mixed.test": ["127.0.0.1", "10.0.0.1"]})
    async with SafeHttpClient(allow_networks=LOCAL, resolver=resolver) as client:
        with pytest.raises(UnsafeURLError, match="private network"):
            await client.fetch(f"http://mixed.test:{port_of(base_url)}/hello")


async def test_allowlist_only_exempts_its_networks(base_url: str) -> None:
    async with SafeHttpClient(allow_networks=LOCAL) as client:
        result = await client.fetch(f"{base_url}/hello")
        assert (result.status, result.content_type, result.text()) == (200, "text/html", "<p>héllo</p>")
        with pytest.raises(UnsafeURLError):
            await client.fetch("http://10.0.0.1/")
        with pytest.raises(UnsafeURLError):
            await client.fetch("http://127.0.0.2/")
    async with SafeHttpClient(allow_networks=["169.254.0.0/16"]) as client:
        with pytest.raises(UnsafeURLError, match="metadata"):  # never exempt
            await client.fetch("http://169.254.169.254/")


async def test_allowed_ports(base_url: str) -> None:
    async with SafeHttpClient(allow_networks=LOCAL, allowed_ports={80, 443}) as client:
        with pytest.raises(UnsafeURLError, match="Port"):
            await client.fetch(f"{base_url}/hello")


async def test_connects_to_the_validated_ip_keeping_the_hostname(base_url: str) -> None:
    # pinned.test exists in no DNS: only a connection to the resolved IP can reach the server.
    resolver = fixed_resolver({"pinned.test": ["127.0.0.1"]})
    async with SafeHttpClient(allow_networks=LOCAL, resolver=resolver) as client:
        result = await client.fetch(f"http://pinned.test:{port_of(base_url)}/echo")
    assert f'"host":"pinned.test:{port_of(base_url)}"' in result.text()


async def test_dns_rebinding_is_refused(base_url: str) -> None:
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    calls: list[str] = []

    async def rebinding_resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    url = f"http://rebind.test:{port_of(base_url)}/hello?close"  # server closes: next fetch reconnects
    async with SafeHttpClient(allow_networks=LOCAL, resolver=rebinding_resolver) as client:
        assert (await client.fetch(url)).status == 200
        with pytest.raises(UnsafeURLError, match="private network"):
            await client.fetch(url)
    assert calls == ["rebind.test", "rebind.test"]  # one lookup per connection, checked and used


@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
                                    "http://[::ffff:10.0.0.1]/", "http://0177.0.0.1/", "http://internal.test/"])
async def test_redirect_to_blocked_address_is_refused(base_url: str, target: str) -> None:
    resolver = fixed_resolver({"internal.test": ["10.0.0.1"]})
    async with SafeHttpClient(allow_networks=LOCAL, resolver=resolver) as client:
        started = time.monotonic()
        with pytest.raises(UnsafeURLError):
            await client.fetch(f"{base_url}/redirect-to", params={"url": target})
        assert time.monotonic() - started < 1  # refused, not a connect attempt that timed out


async def test_redirects_are_followed_and_credentials_dropped_across_origins(base_url: str) -> None:
    port = port_of(base_url)
    resolver = fixed_resolver({"other.test": ["127.0.0.1"]})
    async with SafeHttpClient(allow_networks=LOCAL, resolver=resolver) as client:
        same = await client.fetch(f"{base_url}/redirect-to?url=/echo&status=307", method="POST",
                                  json={"a": 1}, headers={"Authorization": "Bearer s3cret"})
        assert same.url == f"{base_url}/echo"
        assert '"method":"POST"' in same.text() and "s3cret" in same.text() and '{\\"a\\":1}' in same.text()
        other = await client.fetch(f"{base_url}/redirect-to", params={"url": f"http://other.test:{port}/echo"},
                                   method="POST", json={"a": 1}, headers={"Authorization": "Bearer s3cret"})
        assert other.url == f"http://other.test:{port}/echo"
        assert '"method":"GET"' in other.text() and "s3cret" not in other.text()


async def test_too_many_redirects(base_url: str) -> None:
    async with SafeHttpClient(allow_networks=LOCAL, max_redirects=3) as client:
        with pytest.raises(FetchError, match="redirected more than 3 times"):
            await client.fetch(f"{base_url}/loop")


@pytest.mark.parametrize("query", ["", "?stream"])
async def test_byte_cap(base_url: str, query: str) -> None:
    async with SafeHttpClient(allow_networks=LOCAL, max_bytes=100_000) as client:
        with pytest.raises(FetchError, match="larger than the 100 kB limit"):
            await client.fetch(f"{base_url}/big{query}")
        assert len((await client.fetch(f"{base_url}/big{query}", max_bytes=1_000_000)).body) == 1_000_000


async def test_compression_bomb_is_capped_and_gzip_decoded(base_url: str) -> None:
    async with SafeHttpClient(allow_networks=LOCAL, max_bytes=1_000_000) as client:
        assert (await client.fetch(f"{base_url}/gzipped")).body == b"compressed text"
        with pytest.raises(FetchError, match="larger than"):
            await client.fetch(f"{base_url}/bomb")


async def test_timeout(base_url: str) -> None:
    async with SafeHttpClient(allow_networks=LOCAL) as client:
        started = time.monotonic()
        with pytest.raises(FetchError, match="longer than 0.3 s"):
            await client.fetch(f"{base_url}/slow", timeout_s=0.3)
        assert time.monotonic() - started < 1.5


async def test_content_type_filter_and_connection_errors(base_url: str) -> None:
    async with SafeHttpClient(allow_networks=LOCAL) as client:
        with pytest.raises(FetchError, match="image/png"):
            await client.fetch(f"{base_url}/image.png", accept_content_types={"text/html"})
        with pytest.raises(FetchError, match="Couldn't connect"):
            await client.fetch("http://127.0.0.1:9/")  # discard port: nothing listens
    async with SafeHttpClient(resolver=fixed_resolver({})) as client:
        with pytest.raises(FetchError, match="Couldn't find the website nowhere.test"):
            await client.fetch("http://nowhere.test/")
