"""API test clients."""

import ipaddress
import uuid

from rest_framework.test import APIClient


def json_client() -> APIClient:
    """A client of the API that sends JSON, from an address of its own.

    Rate-limit counters outlive a test (they live in the cache); a fresh
    client address keeps each client's counts apart.
    """
    client = APIClient(REMOTE_ADDR=str(ipaddress.IPv6Address(uuid.uuid4().int)))
    client.default_format = "json"
    return client
