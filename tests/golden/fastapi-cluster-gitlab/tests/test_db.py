"""Plain database URLs are mapped onto the driver this project installs, and
a session that cannot be had in time is an outage."""

import asyncio
from urllib.parse import urlencode

import pytest
import sqlalchemy.exc

from acme_orders.db import (
    ACCEPTED_SCHEMES,
    DRIVER,
    QUERY_RENAMES,
    SessionSlots,
    driver_url,
    is_outage,
)


@pytest.mark.parametrize("scheme", sorted(ACCEPTED_SCHEMES))
def test_plain_schemes_get_the_installed_driver(scheme: str) -> None:
    assert driver_url(f"{scheme}://user@host/name").drivername == DRIVER


def test_other_databases_are_refused_with_the_accepted_schemes() -> None:
    with pytest.raises(ValueError, match="DATABASE_URL must start with one of"):
        driver_url("oracle://user@host/name")


@pytest.mark.parametrize("scheme", sorted(ACCEPTED_SCHEMES))
def test_query_parameters_reach_the_driver(scheme: str) -> None:
    # Every parameter survives: those the mapping does not rename as given
    # (a percent-encoded value too), libpq's names in the driver's spelling.
    given = {
        "connect_timeout": "10",
        "options": "-c statement_timeout=5000",
        **dict.fromkeys(QUERY_RENAMES, "require"),
    }

    url = driver_url(f"{scheme}://user@host/name?{urlencode(given)}")

    assert dict(url.query) == {
        "connect_timeout": "10",
        "options": "-c statement_timeout=5000",
        **dict.fromkeys(QUERY_RENAMES.values(), "require"),
    }


async def test_sessions_are_handed_out_in_arrival_order() -> None:
    slots = SessionSlots(1, timeout=5)
    served: list[int] = []

    async def request(number: int) -> None:
        async with slots.held():
            served.append(number)
            await asyncio.sleep(0.01)

    async with slots.held():
        waiting = [asyncio.create_task(request(number)) for number in range(5)]
        await asyncio.sleep(0.01)
        # A newcomer while the others wait: it must not overtake them.
        waiting.append(asyncio.create_task(request(5)))
    await asyncio.gather(*waiting)

    assert served == [0, 1, 2, 3, 4, 5]


async def _wait_for_a_session(slots: SessionSlots) -> BaseException | None:
    """What waiting for one of ``slots`` ends with: None once it was had."""
    try:
        async with slots.held():
            return None
    except sqlalchemy.exc.TimeoutError as error:
        return error


async def test_a_session_not_free_in_time_is_an_outage() -> None:
    slots = SessionSlots(1, timeout=0.05)
    async with slots.held():
        waited = await _wait_for_a_session(slots)
    assert isinstance(waited, sqlalchemy.exc.TimeoutError)
    assert is_outage(waited)
    # The slot given up by the request that timed out is free again.
    assert await _wait_for_a_session(slots) is None
