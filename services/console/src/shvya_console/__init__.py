"""Shvya console: the web app where course sellers and their counsellors work their leads."""
