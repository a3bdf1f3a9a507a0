"""DATABASE_URL in its plain form becomes Django's DATABASES entry."""

import pytest

from acme_orders.config.database import ENGINES, database_config

# The schemes the settings accept for this project's database.
ACCEPTED_SCHEMES = ["postgresql", "postgres"]


@pytest.mark.parametrize("scheme", ACCEPTED_SCHEMES)
def test_every_accepted_scheme_names_a_django_engine(scheme: str) -> None:
    assert scheme in ENGINES


@pytest.mark.parametrize("scheme", ACCEPTED_SCHEMES)
def test_credentials_and_options_are_read_from_the_url(scheme: str) -> None:
    url = f"{scheme}://app:p%40ss%2Fword@db:1234/app_db?connect_timeout=2"
    config = database_config(url, conn_max_age=0)
    assert config["ENGINE"] == ENGINES[scheme]
    assert (config["USER"], config["PASSWORD"]) == ("app", "p@ss/word")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db", "1234", "app_db")
    assert config["OPTIONS"]["connect_timeout"] == "2"
