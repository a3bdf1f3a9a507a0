"""What the benchmarks measure and against what: paths, answers, targets."""

from __future__ import annotations

from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent
COPIER = TEMPLATE / ".venv" / "bin" / "copier"
SLUG = "acme-orders"  # the default project_slug
PACKAGE = "acme_orders"  # its package_name

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

FULLEST_ANSWERS = """\
database: postgresql
cache: redis
auth: jwt
observability: [prometheus, opentelemetry, sentry]
ci: github
deploy_targets: [compose]
"""
SERVER_DATA = ["-d", "database=postgresql", "-d", "cache=redis", "-d", "auth=jwt"]

TARGETS = {
    "render_ratio_max": 1.5,
    "green_sqlite_s": 10.0,
    "green_postgresql_s": 15.0,
    # DESIGN.md section 8: /health/live next to a one-route app of the same
    # framework, the item read next to a bare app on the raw driver.
    "live_vs_minimal_min": 0.8,
    "items_vs_raw_min": 0.5,
    "rss_vs_minimal_max": 1.3,
}
