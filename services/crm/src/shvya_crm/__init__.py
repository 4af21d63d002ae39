"""Shvya crm service."""
