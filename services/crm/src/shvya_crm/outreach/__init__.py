"""Outreach: company settings, templates, follow-ups, sequences and webhooks."""
