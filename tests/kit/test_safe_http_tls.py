"""HTTPS through the pinned connection: TCP goes to the resolved IP, TLS is checked against the hostname."""

from __future__ import annotations

import asyncio
import datetime
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from parley.kit.safe_http import FetchError, SafeHttpClient


def _cert(subject: str, key: ec.EllipticCurvePrivateKey, issuer: str, issuer_key: ec.EllipticCurvePrivateKey,
          *, is_ca: bool, dns_name: str | None = None) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if dns_name:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False)
    if is_ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          encipher_only=False, decipher_only=False), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="module")
def tls_contexts(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context with a cert for secure.test, client context trusting only our test CA)."""
    ca_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = _cert("Parley Test CA", ca_key, "Parley Test CA", ca_key, is_ca=True)
    leaf = _cert("secure.test", leaf_key, "Parley Test CA", ca_key, is_ca=False, dns_name="secure.test")
    folder: Path = tmp_path_factory.mktemp("tls")
    (folder / "leaf.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(leaf_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(folder / "leaf.pem", folder / "key.pem")
    client = ssl.create_default_context(cadata=ca.public_bytes(serialization.Encoding.PEM).decode())
    return server, client


@pytest.fixture
async def tls_server(tls_contexts: tuple[ssl.SSLContext, ssl.SSLContext]) -> AsyncIterator[tuple[int, list[str]]]:
    """A one-line HTTPS server on 127.0.0.1; yields its port and the SNI names it was sent."""
    server_context, _ = tls_contexts
    sni_names: list[str] = []
    server_context.sni_callback = lambda _sock, name, _ctx: sni_names.append(name or "")  # type: ignore[func-returns-value]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                         b"Connection: close\r\n\r\nok")
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass  # the client refused our certificate
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_context)
    try:
        yield server.sockets[0].getsockname()[1], sni_names
    finally:
        server.close()
        await server.wait_closed()


async def resolve_to_loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


async def test_https_verifies_the_hostname_not_the_ip(tls_server, tls_contexts) -> None:
    port, sni_names = tls_server
    async with SafeHttpClient(allow_networks=["127.0.0.1/32"], resolver=resolve_to_loopback,
                              ssl_context=tls_contexts[1]) as client:
        result = await client.fetch(f"https://secure.test:{port}/")
    assert (result.status, result.body) == (200, b"ok")
    assert sni_names == ["secure.test"]


async def test_https_refuses_a_certificate_for_another_name(tls_server, tls_contexts) -> None:
    port, sni_names = tls_server
    async with SafeHttpClient(allow_networks=["127.0.0.1/32"], resolver=resolve_to_loopback,
                              ssl_context=tls_contexts[1]) as client:
        with pytest.raises(FetchError, match="certificate isn't valid"):
            await client.fetch(f"https://impostor.test:{port}/")
        with pytest.raises(FetchError, match="certificate isn't valid"):
            await client.fetch(f"https://127.0.0.1:{port}/")  # an IP is not the certified name either
    assert sni_names[0] == "impostor.test"
