"""The service's package; its name and description live in pyproject.toml."""
