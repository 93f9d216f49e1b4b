"""API keys: shown once, stored as a SHA-256 hash.

Keys are 32 random bytes, so a fast hash is enough (no dictionary to guess
from); the short prefix is kept in clear so an administrator can tell keys
apart and a log line can name one without revealing it.
"""

import hashlib
import secrets

PREFIX = "lgx_"


def generate():
    """Return a new API key."""
    return PREFIX + secrets.token_urlsafe(32)


def digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


def hint(key):
    """The part of a key that may be displayed: its first characters."""
    return key[: len(PREFIX) + 6] + "…"


def from_authorization(header):
    """Return the bearer token of an ``Authorization`` header, or None."""
    scheme, _sep, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
