"""Where a webhook may be sent (pure: no Django): only to the address the owner registered,
over HTTPS, and never into our own network.

A server that sends requests for its users must not become their way in: a URL whose host is,
or resolves to, a private, loopback, link-local, multicast, reserved or otherwise non-global
address is refused (every address the name resolves to, so one public record cannot cover a
private one), unless `allow_private` says the network is ours to test in (development, the
tests). The sender then connects to the address checked here, not to the name again, so a DNS
answer that changes between the check and the request (rebinding) cannot switch it.
"""

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.translatable import gettext_noop

# Refusals an owner reads next to the URL field: marked here, translated where shown.
NOT_A_URL = gettext_noop("Enter the full address, starting with https://.")
NOT_HTTPS = gettext_noop("The address must start with https:// (the events are signed, not hidden).")
CREDENTIALS = gettext_noop("Put no user name or password in the address: the signature proves the sender.")
NO_ANSWER = gettext_noop("{host} does not resolve to any address.")
PRIVATE = gettext_noop("{host} is a private or reserved address ({address}): webhooks go to the public internet only.")

Resolver = Callable[[str, int], Sequence[str]]


@dataclass(frozen=True)
class Target:
    """A checked URL: what to connect to (`addresses`, every one checked) and what to ask for."""

    scheme: str
    host: str  # as written, for the Host header and TLS's server name
    port: int
    path: str  # with its query
    addresses: tuple[str, ...]


class Refused(ValueError):
    """The URL may not be sent to; `message` is one of the templates above, `values` fill it."""

    def __init__(self, message: str, **values: str) -> None:
        super().__init__(message.format(**values))
        self.message = message
        self.values = values


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order, each once."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    found: list[str] = []
    for answer in answers:
        address = str(answer[4][0]).split("%")[0]  # an IPv6 scope ("fe80::1%eth0") is not the address
        if address not in found:
            found.append(address)
    return found


def is_public(address: str) -> bool:
    """Whether `address` is on the public internet: not private, loopback, link-local,
    multicast, reserved, unspecified or shared (carrier-grade NAT); an IPv4 address written
    as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def parse(url: str, *, allow_http: bool) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of `url`, or Refused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise Refused(NOT_A_URL) from error
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if scheme not in ("https", "http") or not host:
        raise Refused(NOT_A_URL)
    if scheme == "http" and not allow_http:
        raise Refused(NOT_HTTPS)
    if parts.username is not None or parts.password is not None:
        raise Refused(CREDENTIALS)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port or (443 if scheme == "https" else 80), path


def check(url: str, *, allow_private: bool, resolver: Resolver | None = None) -> Target:
    """The target of `url` if a webhook may go there, else Refused. Plain HTTP and private
    addresses only when `allow_private` (a network of our own, for development and tests)."""
    scheme, host, port, path = parse(url, allow_http=allow_private)
    addresses = tuple((resolver or resolve)(host, port))
    if not addresses:
        raise Refused(NO_ANSWER, host=host)
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise Refused(PRIVATE, host=host, address=address)
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=addresses)
