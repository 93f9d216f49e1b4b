"""Lanes: the parallel, ordered processing queues of a backend's inbox.

Messages about one subject (a shipment, an order) share a lane, so they are
applied in arrival order; different subjects spread over the backend's lanes.
One drain at a time works a lane, serialised by a PostgreSQL advisory lock
whose key is a hash of the lane, not arithmetic on its numbers: any number
of backends and lanes gets distinct keys (a 64-bit collision is negligible).
"""

import hashlib
import struct
import zlib

CHANNELS = ("realtime", "batch")


def lane_of(subject_ref, lanes):
    """The lane (0 … lanes-1) of a subject; messages without one share lane 0."""
    return zlib.crc32((subject_ref or "").encode()) % max(lanes, 1)


def lock_key(namespace, *parts):
    """A signed 64-bit key for ``pg_try_advisory_xact_lock(bigint)``."""
    digest = hashlib.blake2b(repr((namespace, *parts)).encode(), digest_size=8).digest()
    return struct.unpack(">q", digest)[0]
