"""HMAC-SHA256 request signatures, the way Stripe signs webhooks.

Header: ``X-Logistics-Signature: t=<unix seconds>,v1=<hex digest>[,v1=<hex>...]``
where each digest is HMAC-SHA256(secret, f"{t}.{body}"). Several secrets may be
valid at once so that keys can rotate; the timestamp must fall inside a
tolerance window so a captured request cannot be replayed later.
"""

import hashlib
import hmac
import time

HEADER = "X-Logistics-Signature"


class SignatureError(Exception):
    """The request is not signed by a current secret."""


def sign(secret, body, timestamp=None):
    """Return the header value signing ``body`` (bytes) with ``secret``."""
    timestamp = int(time.time() if timestamp is None else timestamp)
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def verify(header, body, secrets, tolerance=300, now=None):
    """Raise :class:`SignatureError` unless ``header`` signs ``body`` with one of ``secrets``."""
    if not header:
        raise SignatureError("missing signature header")
    timestamp, candidates = _parse(header)
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError("signature timestamp outside the tolerance window")
    for secret in filter(None, secrets):
        expected = _digest(secret, timestamp, body)
        # compare every candidate in constant time
        if any(hmac.compare_digest(expected, candidate) for candidate in candidates):
            return timestamp
    raise SignatureError("no valid signature for this body")


def _digest(secret, timestamp, body):
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _parse(header):
    timestamp, candidates = None, []
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isascii() and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value.isascii() and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        raise SignatureError("malformed signature header: expected t=<unix time>,v1=<hex>")
    return timestamp, candidates
