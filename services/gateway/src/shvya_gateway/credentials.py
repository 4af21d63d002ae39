"""The caller's credential, carried from its request to every crm call it makes (the crm decides).

The forwarding itself is shvya_rpc.credentials (the console does the same); here, what tells the
crm's credentials apart."""

from __future__ import annotations

# Prefixes of what the crm issues: a session token and an API key.
SESSION_PREFIX = "shvs_"
API_KEY_PREFIX = "shvk_"
