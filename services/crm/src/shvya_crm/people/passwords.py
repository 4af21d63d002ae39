"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shvya_rpc.errors import FieldErrors

MIN_LENGTH = 10
MAX_LENGTH = 256


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def check_new(password: str, field: str = "password") -> None:
    if len(password) < MIN_LENGTH or len(password) > MAX_LENGTH:
        raise FieldErrors({field: f"must be {MIN_LENGTH} to {MAX_LENGTH} characters"})


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Same work as a real check, so timing does not tell which accounts have a password.
        _hasher().hash(password)
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
