"""The client address behind proxies (forwarded.py), as rate limits see it."""

import pytest

from acme_orders.forwarded import client_address

PROXY = "10.244.1.7"


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [
        ("127.0.0.1", PROXY),  # the proxy is not trusted: it is the client
        (PROXY, "203.0.113.9"),
        ("10.0.0.0/8", "203.0.113.9"),  # a pod network: proxies change address
        ("10.0.0.0/8,172.16.0.0/12", "203.0.113.9"),
        ("192.168.0.0/16", PROXY),
        ("*", "198.51.100.1"),  # the leftmost, which a client can forge
    ],
)
def test_a_trusted_proxy_gives_the_first_untrusted_address_from_the_right(
    trusted: str, expected: str
) -> None:
    # The client forged the first entry; the proxy appended the real one.
    forwarded_for = "198.51.100.1, 203.0.113.9"

    assert client_address(PROXY, forwarded_for, trusted) == expected


def test_a_forwarded_address_inside_a_trusted_network_is_skipped() -> None:
    forwarded_for = "203.0.113.9, 10.1.2.3"

    assert client_address(PROXY, forwarded_for, "10.0.0.0/8") == "203.0.113.9"


def test_without_a_header_the_connection_is_the_client() -> None:
    assert client_address(PROXY, "", "10.0.0.0/8") == PROXY
    assert client_address(None, "", "127.0.0.1") == "unknown"
