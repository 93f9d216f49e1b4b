"""Partner credentials encrypted at rest, with keys kept outside the database.

The keys are Fernet keys (AES-128-CBC with HMAC-SHA256, from ``cryptography``),
listed comma-separated in the Odoo configuration (``logistics_secret_keys``) or
the environment (``LOGISTICS_SECRET_KEYS``, which wins). The first key encrypts;
every key listed decrypts, so a key can rotate: list the new key first and the
old one after it, re-encrypt (``logistics.secret._rotate``), then drop the old.
"""

import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from odoo.tools import config

from odoo.addons.queue_job.exception import RetryableJobError

from .errors import TransientError

CONFIG_OPTION = "logistics_secret_keys"
ENVIRONMENT_VARIABLE = "LOGISTICS_SECRET_KEYS"


class SecretsUnavailable(TransientError, RetryableJobError):
    """The hub holds no key that opens its secrets: it says why, calls no
    partner that needs one, and retries (the pipeline and any job alike) until
    the key is configured."""

    code = "secrets_unavailable"


def configured_keys():
    raw = os.environ.get(ENVIRONMENT_VARIABLE) or config.get(CONFIG_OPTION) or ""
    return [key.strip() for key in raw.split(",") if key.strip()]


def new_key():
    return Fernet.generate_key().decode()


def _box():
    keys = configured_keys()
    if not keys:
        raise SecretsUnavailable(
            f"no encryption key: set {CONFIG_OPTION} in the Odoo configuration "
            f"(or {ENVIRONMENT_VARIABLE} in the environment)"
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise SecretsUnavailable(
            f"{CONFIG_OPTION} holds a malformed key (32 url-safe base64-encoded bytes " "expected)"
        ) from error


def encrypt(plaintext):
    return _box().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext):
    try:
        return _box().decrypt(ciphertext.encode()).decode()
    except InvalidToken as error:
        raise SecretsUnavailable(
            f"a secret was encrypted with a key {CONFIG_OPTION} does not list"
        ) from error


def rotate(ciphertext):
    """The same secret, encrypted with the first key."""
    try:
        return _box().rotate(ciphertext.encode()).decode()
    except InvalidToken as error:
        raise SecretsUnavailable(
            f"a secret was encrypted with a key {CONFIG_OPTION} does not list"
        ) from error
