"""The environment the test suite runs in, set before any setting is read
(config/test_settings.py imports this module first).

The "test" environment refuses placeholders, as production does: the tests
get a random signing key, and a login limit only the rate-limit tests reach,
unless the environment sets them.
"""

import os
import secrets

os.environ["ENVIRONMENT"] = "test"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("LOGIN_RATE_LIMIT", "1000")
# A queue of this run's own on the broker (deleted after the run, conftest.py).
os.environ.setdefault("TASK_QUEUE", f"test-{secrets.token_hex(6)}")
