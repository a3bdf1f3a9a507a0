"""Which address a request came from, behind trusted proxies or not.

Framework-free: the WSGI frameworks' web layers pass what the request says
(the connection's address and X-Forwarded-For) and FORWARDED_ALLOW_IPS.
"""

import ipaddress


def client_address(remote: str | None, forwarded_for: str, trusted_setting: str) -> str:
    """The client's address: ``remote``, or, when that is a trusted proxy
    (FORWARDED_ALLOW_IPS: addresses or networks such as 10.0.0.0/8), the
    X-Forwarded-For client as uvicorn picks it: the first untrusted address
    from the right."""
    remote = remote or "unknown"
    trusted = [address.strip() for address in trusted_setting.split(",")]
    always = "*" in trusted
    if not forwarded_for or not (always or is_trusted(remote, trusted)):
        return remote
    hosts = [host.strip() for host in forwarded_for.split(",") if host.strip()]
    if not hosts:
        return remote
    if always:
        return hosts[0]
    for host in reversed(hosts):
        if not is_trusted(host, trusted):
            return host
    return hosts[0]


def is_trusted(host: str, trusted: list[str]) -> bool:
    """Whether ``host`` is one of the ``trusted`` addresses or in one of
    their networks (a pod network, where proxies change address)."""
    if host in trusted:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name, or "unknown": only an exact entry trusts it
    for entry in trusted:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue  # a host name in the setting
    return False
