"""Acme Orders: A production-ready backend service."""
