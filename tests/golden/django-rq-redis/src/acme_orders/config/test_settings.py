"""Django's settings for the test suite (pytest-django and mypy load this
module): the service's settings, read in the test environment.

pytest-django creates its own test database beside the one named
(test_<name>) and drops it after the run.
"""

from acme_orders.config import test_environment  # noqa: F401  (first)
from acme_orders.config.settings import *  # noqa: F403
