"""When and from where each API key was last used.

Noted outside the request's transaction, on the counters' own connection (see
rate_counter): a refused or rolled-back request was still a use, and writing
the key's row inside requests would make concurrent requests with one key
fail on each other. Each worker notes a key at most once a minute per address,
so the cost is one upsert a minute per key, not one per request.
"""

import threading
import time

from . import rate_counter

INTERVAL = 60  # seconds between two notes of one key from one address, per worker

CREATE_TABLE = """
    CREATE TABLE IF NOT EXISTS logistics_key_usage (
        key_id integer PRIMARY KEY,
        last_used_at timestamp NOT NULL,
        last_used_from varchar
    )
"""

UPSERT = """
    INSERT INTO logistics_key_usage (key_id, last_used_at, last_used_from)
    VALUES (%s, now() AT TIME ZONE 'UTC', %s)
    ON CONFLICT (key_id) DO UPDATE
       SET last_used_at = EXCLUDED.last_used_at, last_used_from = EXCLUDED.last_used_from
    RETURNING key_id
"""

_noted = {}  # key id -> (monotonic time, address) of this worker's last note
_lock = threading.Lock()


def due(key_id, address):
    """Whether this use of ``key_id`` from ``address`` is to be noted: not when
    this worker noted the same within the interval (then nothing else is done
    on the request's path)."""
    now = time.monotonic()
    with _lock:
        last = _noted.get(key_id)
        if last and last[1] == address and now - last[0] < INTERVAL:
            return False
        _noted[key_id] = (now, address)
    return True


def note(connection_params, key_id, address):
    """Record a use of ``key_id`` from ``address``, committed on its own."""
    rate_counter.execute(connection_params, UPSERT, [key_id, address])
