"""Tests of the service, run against the real services it uses."""
