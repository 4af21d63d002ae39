"""Shvya conductor service."""
