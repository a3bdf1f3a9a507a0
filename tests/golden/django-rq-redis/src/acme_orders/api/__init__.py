"""What every API view shares: errors, fields, middleware, the base view,
health probes and the OpenAPI schema (apps.py sets them up)."""
