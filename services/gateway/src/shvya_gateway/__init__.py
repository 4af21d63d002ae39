"""Shvya gateway service."""
