"""Strict look-up tables of extensions (processors, outbound adapters).

Each extension claims keys; two extensions claiming the same key is a
configuration error reported when the table is built, never resolved
silently by name order (OCA `component` raises on ambiguous look-ups too).
"""


class AmbiguousRegistration(Exception):
    """Two extensions claim the same key."""


def build(claims):
    """``{key: name}`` from ``(name, keys)`` pairs; raise on a key claimed twice."""
    table = {}
    for name, keys in claims:
        for key in keys:
            if key in table and table[key] != name:
                raise AmbiguousRegistration(f"{key!r} is claimed by both {table[key]} and {name}")
            table[key] = name
    return table
