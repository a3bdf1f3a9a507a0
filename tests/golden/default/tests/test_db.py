"""Plain database URLs are mapped onto the driver this project installs."""

from urllib.parse import urlencode

import pytest

from acme_orders.db import (
    ACCEPTED_SCHEMES,
    ASYNC_DRIVER,
    QUERY_RENAMES,
    async_url,
)


@pytest.mark.parametrize("scheme", sorted(ACCEPTED_SCHEMES))
def test_plain_schemes_get_the_async_driver(scheme: str) -> None:
    assert async_url(f"{scheme}://user@host/name").drivername == ASYNC_DRIVER


def test_other_databases_are_refused_with_the_accepted_schemes() -> None:
    with pytest.raises(ValueError, match="DATABASE_URL must start with one of"):
        async_url("oracle://user@host/name")


@pytest.mark.parametrize("scheme", sorted(ACCEPTED_SCHEMES))
def test_query_parameters_reach_the_driver(scheme: str) -> None:
    # Every parameter survives: those the mapping does not rename as given
    # (a percent-encoded value too), libpq's names in the driver's spelling.
    given = {
        "connect_timeout": "10",
        "options": "-c statement_timeout=5000",
        **dict.fromkeys(QUERY_RENAMES, "require"),
    }

    url = async_url(f"{scheme}://user@host/name?{urlencode(given)}")

    assert dict(url.query) == {
        "connect_timeout": "10",
        "options": "-c statement_timeout=5000",
        **dict.fromkeys(QUERY_RENAMES.values(), "require"),
    }
