"""Plain database URLs are mapped onto the driver this project installs."""

import pytest

from acme_orders.db import ACCEPTED_SCHEMES, ASYNC_DRIVER, QUERY_RENAMES, async_url


@pytest.mark.parametrize("scheme", sorted(ACCEPTED_SCHEMES))
def test_plain_schemes_get_the_async_driver(scheme: str) -> None:
    assert async_url(f"{scheme}://user@host/name").drivername == ASYNC_DRIVER


def test_other_databases_are_refused_with_the_accepted_schemes() -> None:
    with pytest.raises(ValueError, match="DATABASE_URL must start with one of"):
        async_url("oracle://user@host/name")


def test_query_parameters_take_the_driver_spelling() -> None:
    scheme = min(ACCEPTED_SCHEMES)
    for plain, driver in QUERY_RENAMES.items():
        url = async_url(f"{scheme}://user@host/name?{plain}=require&other=1")
        assert dict(url.query) == {driver: "require", "other": "1"}
