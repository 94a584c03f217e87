"""The one outbound HTTP request of a webhook, with urllib3 (already here, under boto3).

To the checked address only (`addresses.Target`): the connection goes to the IP address that
was checked, with the registered host name in the Host header and, over HTTPS, as the TLS
server name and the name the certificate must carry, checked against the system's trust store
(or the CA bundle AMENDS_WEBHOOKS_CA_BUNDLE names). A timeout for connecting and one for
reading, no redirect followed (a 3xx is a failure: the receiver must give its final URL),
no retries here (the dispatcher retries, with backoff, in the database), and no more of the
answer read than `MAX_BODY` bytes, kept as the error's detail.
"""

import time
from dataclasses import dataclass

import urllib3
from urllib3.exceptions import HTTPError

from .addresses import Target

MAX_BODY = 4096
# One pool per (scheme, address, port, host, CA bundle) in this process: a burst to one receiver
# reuses its connections (keep-alive) instead of opening one a request.
_pools: dict[tuple[str, str, int, str, str], urllib3.HTTPConnectionPool] = {}


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer (refused, timed out, broken)
    duration_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _pool(target: Target, address: str, connect: float, read: float, ca_bundle: str) -> urllib3.HTTPConnectionPool:
    key = (target.scheme, address, target.port, target.host, ca_bundle)
    pool = _pools.get(key)
    if pool is None:
        timeout = urllib3.Timeout(connect=connect, read=read)
        if target.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address,
                target.port,
                timeout=timeout,
                retries=False,
                maxsize=4,
                server_hostname=target.host,
                assert_hostname=target.host,
                cert_reqs="CERT_REQUIRED",
                ca_certs=ca_bundle or None,  # None: the system's trust store
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False, maxsize=4)
        _pools[key] = pool
    return pool


def post(
    target: Target, *, body: bytes, headers: dict[str, str], connect: float, read: float, ca_bundle: str = ""
) -> Answer:
    """POST `body` to the target's first checked address; never raises for the network's sake.
    `ca_bundle`: a file of CA certificates to trust instead of the system's ("": the system's)."""
    host = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
    if ":" in target.host and not target.host.startswith("["):
        host = f"[{target.host}]" + ("" if target.port in (80, 443) else f":{target.port}")
    started = time.monotonic()
    try:
        response = _pool(target, target.addresses[0], connect, read, ca_bundle).urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Host": host},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            detail = response.read(MAX_BODY, decode_content=False)
        finally:
            if response.length_remaining != 0:
                # More than we read (or no length said): the connection cannot be reused.
                response.close()
            response.release_conn()
    except (HTTPError, OSError) as error:
        return Answer(status=None, duration_ms=_ms(started), error=(str(error) or type(error).__name__)[:500])
    status = response.status
    said = "" if 200 <= status < 300 else f"HTTP {status}: {detail.decode(errors='replace')}"[:500]
    return Answer(status=status, duration_ms=_ms(started), error=said)


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
