"""Settings refuse unsafe production values and name the variable at fault.

model_validate() checks the given values alone, without the environment.
"""

import pytest
from pydantic import ValidationError

from acme_orders.settings import Settings

SAFE_PRODUCTION: dict[str, object] = {
    "environment": "production",
    "cors_origins": "https://app.example.com",
}


def test_safe_production_settings_are_accepted() -> None:
    settings = Settings.model_validate(SAFE_PRODUCTION)
    assert settings.cors_origins == ["https://app.example.com"]


@pytest.mark.parametrize(
    ("override", "variable"),
    [
        ({"debug": True}, "DEBUG"),
        ({"cors_origins": "*"}, "CORS_ORIGINS"),
        ({"environment": "test", "debug": True}, "DEBUG"),
    ],
)
def test_unsafe_production_values_are_refused(
    override: dict[str, object], variable: str
) -> None:
    with pytest.raises(ValidationError, match=variable):
        Settings.model_validate({**SAFE_PRODUCTION, **override})


def test_development_tolerates_placeholders() -> None:
    settings = Settings.model_validate({"environment": "development", "debug": True})
    assert settings.debug
