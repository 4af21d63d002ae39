"""Conversations: AI turns, outbound messages and their outcomes, the knowledge base and AI settings."""
