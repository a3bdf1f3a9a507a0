"""Which address a request came from, behind trusted proxies or not.

Framework-free: the WSGI frameworks' web layers pass what the request says
(the connection's address and X-Forwarded-For) and FORWARDED_ALLOW_IPS.
"""

import ipaddress
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class TrustedProxies:
    """FORWARDED_ALLOW_IPS, parsed: addresses, networks such as 10.0.0.0/8
    (a pod network, where proxies change address), or * for any."""

    always: bool
    addresses: frozenset[str]
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]

    def include(self, host: str) -> bool:
        if self.always or host in self.addresses:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False  # a name, or "unknown": only an exact entry trusts it
        return any(address in network for network in self.networks)


@cache
def trusted_proxies(setting: str) -> TrustedProxies:
    """The setting parsed once, not on every request."""
    entries = [entry.strip() for entry in setting.split(",")]
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue  # a host name in the setting
    return TrustedProxies("*" in entries, frozenset(entries), tuple(networks))


def client_address(remote: str | None, forwarded_for: str, trusted_setting: str) -> str:
    """The client's address: ``remote``, or, when that is a trusted proxy
    (FORWARDED_ALLOW_IPS), the X-Forwarded-For client as uvicorn picks it:
    the first untrusted address from the right."""
    remote = remote or "unknown"
    trusted = trusted_proxies(trusted_setting)
    if not forwarded_for or not trusted.include(remote):
        return remote
    hosts = [host.strip() for host in forwarded_for.split(",") if host.strip()]
    if not hosts:
        return remote
    if trusted.always:
        return hosts[0]
    for host in reversed(hosts):
        if not trusted.include(host):
            return host
    return hosts[0]
