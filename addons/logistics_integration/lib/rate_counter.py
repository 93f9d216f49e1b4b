"""Per-minute request counters shared by every worker process, in PostgreSQL.

One row per backend and minute, incremented with an upsert. It runs on a
connection of its own per worker thread, in autocommit (read committed: two
workers incrementing one row wait for each other, never fail) and with
synchronous_commit off (a count lost in a crash is harmless): one round trip,
and no lock held across a request's transaction.
"""

import os
import threading

import psycopg2

_local = threading.local()

UPSERT = """
    INSERT INTO logistics_rate_window (backend_id, window_start, hits)
    VALUES (%s, date_trunc('minute', now()), %s)
    ON CONFLICT (backend_id, window_start)
    DO UPDATE SET hits = logistics_rate_window.hits + EXCLUDED.hits
    RETURNING hits, 60 - extract(second FROM now())::int
"""


def count(connection_params, backend_id, hits):
    """Add ``hits``; return ``(hits this minute, seconds left in the minute)``."""
    return execute(connection_params, UPSERT, [backend_id, hits])


def execute(connection_params, query, args):
    """Run one counting statement on the counters' own connection; its row.
    (Other counters, e.g. carrier quotas, bring their own table and upsert.)"""
    connection = _connection(connection_params)
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, args)
            return cursor.fetchone()
    except psycopg2.Error:
        _forget(connection_params)
        raise


def _key(connection_params):
    return os.getpid(), tuple(sorted(connection_params.items()))


def _connection(connection_params):
    connections = _local.__dict__.setdefault("connections", {})
    connection = connections.get(_key(connection_params))
    if connection is None or connection.closed:
        connection = psycopg2.connect(**connection_params)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
        connections[_key(connection_params)] = connection
    return connection


def _forget(connection_params):
    connection = _local.__dict__.get("connections", {}).pop(_key(connection_params), None)
    if connection is not None:
        connection.close()
