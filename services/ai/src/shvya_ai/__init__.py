"""Shvya ai service."""
