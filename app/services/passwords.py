"""Argon2 password hashing (argon2-cffi)."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_hashers = {
    # OWASP's Argon2id profile (19 MiB, t=2, p=1): strong, and ~40 ms on a small 2-core server, so a
    # login or a signature stays well under budget while many clerks work at once.
    "strong": PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),
    # Only for the test suite: the same algorithm with a tiny cost so tests stay fast.
    "fast": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}
MIN_LENGTH = 8


def _hasher():
    return _hashers[current_app.config.get("PASSWORD_HASH_PROFILE", "strong")]


def hash_password(password):
    return _hasher().hash(password)


def verify_password(password_hash, password):
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    return _hasher().check_needs_rehash(password_hash)


def password_problem(password):
    """A Portuguese message if the password is too weak, else None."""
    if len(password or "") < MIN_LENGTH:
        return f"A senha deve ter pelo menos {MIN_LENGTH} caracteres."
    if password.isdigit() or password.isalpha():
        return "A senha deve misturar letras e números ou símbolos."
    return None
