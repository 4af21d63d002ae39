"""The bottom of the crm: the tables, sessions and clock, and the audit log every domain writes to."""
