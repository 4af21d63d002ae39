"""Pytest fixtures that reach real PostgreSQL, Redis and SMTP."""
