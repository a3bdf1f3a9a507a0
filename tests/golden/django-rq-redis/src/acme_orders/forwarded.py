"""Which address a request came from, behind trusted proxies or not.

Framework-free: the WSGI frameworks' web layers pass what the request says
(the connection's address and X-Forwarded-For) and FORWARDED_ALLOW_IPS.
"""


def client_address(remote: str | None, forwarded_for: str, trusted_setting: str) -> str:
    """The client's address: ``remote``, or, when that is a trusted proxy
    (FORWARDED_ALLOW_IPS), the X-Forwarded-For client as uvicorn picks it:
    the first untrusted address from the right."""
    remote = remote or "unknown"
    trusted = [address.strip() for address in trusted_setting.split(",")]
    always = "*" in trusted
    if not forwarded_for or not (always or remote in trusted):
        return remote
    hosts = [host.strip() for host in forwarded_for.split(",") if host.strip()]
    if not hosts:
        return remote
    if always:
        return hosts[0]
    for host in reversed(hosts):
        if host not in trusted:
            return host
    return hosts[0]
