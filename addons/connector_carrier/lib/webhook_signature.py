"""Carrier webhook signatures, checked over the raw body as received.

Carriers sign their webhooks in different ways; each scheme here is one of
them, chosen per carrier on its backend:

- ``hmac_base64``: base64 HMAC-SHA256 of the body in a header (Shopify,
  several parcel carriers);
- ``hmac_hex``: hex HMAC-SHA256 of the body, optionally behind a prefix such as
  ``sha256=`` (GitHub style);
- ``standard_webhooks``: the Standard Webhooks specification: headers
  ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (``v1,<base64>``
  entries) over ``id.timestamp.body``, with a ``whsec_`` base64 secret and a
  timestamp window against replays.

Every comparison is constant-time, and several secrets may be valid at once so
a carrier can rotate its secret.
"""

import base64
import binascii
import hashlib
import hmac
import time

SCHEMES = ("hmac_base64", "hmac_hex", "standard_webhooks")


class SignatureError(Exception):
    """The webhook is not signed by a current secret of the carrier."""


def verify(scheme, headers, body, secrets, header="", prefix="", tolerance=300, now=None):
    """Raise :class:`SignatureError` unless ``body`` (bytes) is signed under
    ``scheme`` with one of ``secrets``. ``headers`` is a case-insensitive
    mapping; ``header`` names the signature header of the HMAC schemes. Returns
    the webhook's own id when the scheme carries one (else None)."""
    secrets = [secret for secret in secrets if secret]
    if not secrets:
        raise SignatureError("no webhook secret is configured for this carrier")
    if scheme == "standard_webhooks":
        return _verify_standard(headers, body, secrets, tolerance, now)
    given = (headers.get(header) or "").strip()
    if not given:
        raise SignatureError(f"missing signature header {header}")
    if scheme == "hmac_base64":
        candidates = [_hmac(secret.encode(), body, base64.b64encode) for secret in secrets]
    elif scheme == "hmac_hex":
        if prefix and not given.startswith(prefix):
            raise SignatureError(f"signature header does not start with {prefix!r}")
        given = given[len(prefix) :].lower()  # hex digits, whatever their case
        candidates = [_hmac(secret.encode(), body, bytes.hex) for secret in secrets]
    else:
        raise SignatureError(f"unknown signature scheme {scheme!r}")
    if not _any_equal(given, candidates):
        raise SignatureError("no valid signature for this body")
    return None


def sign(scheme, body, secret, prefix="", webhook_id="msg_1", timestamp=None):
    """The headers a carrier sends for ``body`` (for the sandbox and the tests)."""
    if scheme == "hmac_base64":
        return {"signature": _hmac(secret.encode(), body, base64.b64encode)}
    if scheme == "hmac_hex":
        return {"signature": prefix + _hmac(secret.encode(), body, bytes.hex)}
    timestamp = str(int(time.time() if timestamp is None else timestamp))
    content = f"{webhook_id}.{timestamp}.".encode() + body
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": "v1," + _hmac(_standard_key(secret), content, base64.b64encode),
    }


def _verify_standard(headers, body, secrets, tolerance, now):
    webhook_id = headers.get("webhook-id") or ""
    timestamp = (headers.get("webhook-timestamp") or "").strip()
    signatures = headers.get("webhook-signature") or ""
    if not (webhook_id and timestamp and signatures):
        raise SignatureError("expected headers webhook-id, webhook-timestamp, webhook-signature")
    if not (timestamp.isascii() and timestamp.isdigit()):
        raise SignatureError("webhook-timestamp is not a unix time")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance:
        raise SignatureError("webhook-timestamp outside the tolerance window (a replay?)")
    content = f"{webhook_id}.{timestamp}.".encode() + body
    given = [
        value
        for version, _comma, value in (part.partition(",") for part in signatures.split())
        if version == "v1"
    ]
    for secret in secrets:
        expected = _hmac(_standard_key(secret), content, base64.b64encode)
        if any(_any_equal(candidate, [expected]) for candidate in given):
            return webhook_id
    raise SignatureError("no valid signature for this body")


def _standard_key(secret):
    """A ``whsec_<base64>`` secret is its decoded bytes; any other is taken as is."""
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret[len("whsec_") :], validate=True)
        except binascii.Error as error:
            raise SignatureError("the configured whsec_ secret is not base64") from error
    return secret.encode()


def _hmac(key, content, encode):
    digest = hmac.new(key, content, hashlib.sha256).digest()
    encoded = encode(digest)
    return encoded.decode() if isinstance(encoded, bytes) else encoded


def _any_equal(given, candidates):
    """Constant-time comparison with every candidate (no early exit)."""
    given = given.encode()
    results = [hmac.compare_digest(given, candidate.encode()) for candidate in candidates]
    return any(results)
