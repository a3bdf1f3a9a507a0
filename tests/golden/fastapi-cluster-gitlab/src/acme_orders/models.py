"""Every table of the service, in one place for Alembic.

Each package of the service keeps its tables in its own ``models`` module
(items/models.py, and yours beside it, like the apps of a Django project).
Importing this module imports every one of them, and nothing else: the
migration command loads the tables, never the web layer.
"""

import importlib
from pathlib import Path

from acme_orders.db import Base

MODELS_MODULE = "models.py"


def import_models() -> list[str]:
    """Import ``<package>.models`` of every package here; return their names."""
    names = sorted(
        f"{__package__}.{path.parent.name}.models"
        for path in Path(__file__).parent.glob(f"*/{MODELS_MODULE}")
    )
    for name in names:
        importlib.import_module(name)
    return names


MODELS_MODULES = import_models()

__all__ = ["MODELS_MODULES", "Base"]
