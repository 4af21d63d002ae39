"""Shvya channels service."""
