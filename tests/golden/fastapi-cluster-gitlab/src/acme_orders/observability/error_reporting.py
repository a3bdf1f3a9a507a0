"""Sentry error reporting; off unless SENTRY_DSN is set.

The SDK finds the web framework and hooks into it by itself.
"""

import sentry_sdk

from acme_orders.settings import Settings


def setup(settings: Settings) -> None:
    # An empty SENTRY_DSN (as in .env.example) means off, like an absent one.
    dsn = settings.sentry_dsn.get_secret_value() if settings.sentry_dsn else ""
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=settings.environment.value,
        traces_sample_rate=settings.sentry_traces_sample_rate,
        # Request bodies and user data stay out of reports.
        send_default_pii=False,
        max_request_body_size="never",
    )
