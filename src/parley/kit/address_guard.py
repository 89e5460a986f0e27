"""Which network addresses a user-given URL may reach: the SSRF policy of `safe_http`.

Anything that is not a plain public address is refused: private, loopback, link-local,
CGNAT, multicast, reserved, unspecified, cloud metadata, and IPv6 forms that embed one of
those (IPv4-mapped, 6to4, Teredo, NAT64). An allowlist can exempt chosen networks.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# Takes (host, port) and returns the host's IP addresses as strings.
Resolver = Callable[[str, int], Awaitable[list[str]]]


METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "169.254.169.253", "100.100.100.200", "fd00:ec2::254")
)
METADATA_HOSTNAMES = frozenset(
    {"metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"}
)
# Ranges `ipaddress` may call global, depending on the Python version.
EXTRA_BLOCKED_NETWORKS: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(n)
    for n in ("100.64.0.0/10", "0.0.0.0/8", "192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4",
              "64:ff9b:1::/48", "fec0::/10", "fc00::/7")
)
_LEGACY_IPV4 = re.compile(r"[0-9a-fA-FxX.]+")


class UnsafeURLError(Exception):
    """The URL points somewhere we refuse to go (private network, bad scheme...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FetchError(Exception):
    """The fetch failed: timeout, too large, too many redirects, connection failed..."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def blocked_reason(ip: IPAddress) -> str | None:
    """Why `ip` must not be contacted, in plain words, or None when it is a public address."""
    if ip in METADATA_ADDRESSES:
        return "is a cloud metadata service"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return blocked_reason(embedded)
    if ip.is_loopback:
        return "points to this server itself"
    if ip.is_unspecified:
        return "is not a real destination address"
    if ip.is_link_local:
        return "is a link-local address"
    if ip.is_multicast or ip.is_reserved:
        return "is a reserved address"
    if ip.is_private or not ip.is_global or any(ip in net for net in EXTRA_BLOCKED_NETWORKS):
        return "points to a private network"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "points to a private network"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address hidden in IPv4-mapped, 6to4, Teredo or NAT64 IPv6 forms."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def parse_host_ip(host: str) -> IPAddress | None:
    """The address a host names literally, including legacy forms like 2130706433 or 0177.0.0.1."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _LEGACY_IPV4.fullmatch(host):
        try:  # inet_aton is what the OS resolver uses for these forms
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


class AddressGuard:
    """Resolves hosts and decides which addresses may be contacted."""

    def __init__(self, *, allow_networks: Iterable[str] = (), resolver: Resolver | None = None) -> None:
        self._allowed = tuple(ipaddress.ip_network(n, strict=False) for n in allow_networks)
        self._resolver = resolver or system_resolver

    def check_ip(self, ip: IPAddress, host: str) -> None:
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped  # so an IPv4 allowlist entry also covers its mapped form
        embedded = _embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else None
        if ip in METADATA_ADDRESSES or embedded in METADATA_ADDRESSES:  # never allowlisted
            raise UnsafeURLError(f"{host} is a cloud metadata service and can't be fetched.")
        if any(ip in net for net in self._allowed):
            return
        reason = blocked_reason(ip)
        if reason:
            raise UnsafeURLError(f"{host} {reason} and can't be fetched.")

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """All addresses of `host`, refusing the host if any one of them is blocked."""
        check_hostname(host)
        literal = parse_host_ip(host)
        if literal is not None:
            self.check_ip(literal, host)
            return [literal]
        try:
            answers = await self._resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"Couldn't find the website {host}.") from exc
        try:
            addresses = list(dict.fromkeys(ipaddress.ip_address(a) for a in answers))
        except ValueError as exc:
            raise FetchError(f"Couldn't find the website {host}.") from exc
        if not addresses:
            raise FetchError(f"Couldn't find the website {host}.")
        for ip in addresses:
            self.check_ip(ip, host)
        return addresses


def check_hostname(host: str) -> None:
    name = host.lower().rstrip(".")
    if not name:
        raise UnsafeURLError("That web address has no host name.")
    if name in METADATA_HOSTNAMES:
        raise UnsafeURLError(f"{host} is a cloud metadata service and can't be fetched.")
