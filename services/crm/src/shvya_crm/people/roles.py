"""Roles and permissions: what an owner, an admin, a counsellor and an API key may do."""

from __future__ import annotations

OWNER = "owner"
ADMIN = "admin"
COUNSELLOR = "counsellor"
ROLES = (OWNER, ADMIN, COUNSELLOR)

# Permissions a company's people and keys can hold.
LEADS_READ = "leads:read"
LEADS_WRITE = "leads:write"
INTAKE = "intake"
KNOWLEDGE_READ = "knowledge:read"
KNOWLEDGE_WRITE = "knowledge:write"
SETTINGS_READ = "settings:read"
SETTINGS_WRITE = "settings:write"
USERS_MANAGE = "users:manage"
API_KEYS_MANAGE = "api_keys:manage"
# The company's own jobs: counting them, reading and replaying its dead letters.
OPERATIONS = "operations"
# The company's channel accounts (a WhatsApp Web session: its status, QR code, resuming it), which
# the channels service acts on once the crm says yes.
CHANNELS_MANAGE = "channels:manage"

# Permissions no company's credential holds: the mesh's own machinery (the ledger, reservations,
# delivery receipts) and what spans companies (the clock, the queue). The system (a mesh service)
# and the platform operator hold every permission.
MESH = "mesh"
PLATFORM = "platform"

# Not permissions but who may call: anyone (sign-in), anyone with a valid credential.
PUBLIC = "public"
SIGNED_IN = "signed_in"

_COUNSELLOR = frozenset({LEADS_READ, LEADS_WRITE, KNOWLEDGE_READ, SETTINGS_READ})
_ADMIN = _COUNSELLOR | {
    INTAKE,
    KNOWLEDGE_WRITE,
    SETTINGS_WRITE,
    USERS_MANAGE,
    API_KEYS_MANAGE,
    OPERATIONS,
    CHANNELS_MANAGE,
}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    COUNSELLOR: _COUNSELLOR,
    ADMIN: _ADMIN,
    OWNER: _ADMIN,  # what sets an owner apart is over people: only an owner makes or changes owners
}

# What an integration's key may be given: never people or keys.
API_KEY_SCOPES = (LEADS_READ, LEADS_WRITE, INTAKE, KNOWLEDGE_READ, KNOWLEDGE_WRITE, SETTINGS_READ)

COMPANY_PERMISSIONS = frozenset(ROLE_PERMISSIONS[OWNER])
