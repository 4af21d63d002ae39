"""The people who work in Shvya: users and roles, sign-in, API keys, and who may do what."""
