"""Metrics: counted per route, served on their own port and only there."""

import httpx

from acme_orders.settings import Settings


def metrics_port(settings: Settings, path: str) -> str:
    """An absolute URL of the metrics listener (the client's default is the API's)."""
    return f"http://testserver:{settings.metrics_port}{path}"


async def test_metrics_are_served_on_their_own_port(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await client.get("/health/live")
    scrape = await client.get(metrics_port(settings, "/metrics"))
    assert scrape.status_code == 200
    assert 'route="/health/live"' in scrape.text


async def test_the_public_port_does_not_serve_metrics(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/metrics")).status_code == 404


async def test_the_metrics_port_serves_nothing_else(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    response = await client.get(metrics_port(settings, "/health/live"))
    assert response.status_code == 404
