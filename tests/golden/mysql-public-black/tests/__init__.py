"""Tests of Acme Orders, run against the real services it uses."""
