"""What the sandbox partners share: an XML-RPC session to set themselves up,
a fresh API key, and a bounded main loop that gives up when the hub is gone."""

import argparse
import sys
import time
import xmlrpc.client

import requests


def hub_arguments(description, interval, port=None, port_help=""):
    """The arguments every sandbox partner takes: where the hub is, who to log in
    as, how often to act and for how long (and its own port, when it serves)."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    if port:
        parser.add_argument("--port", type=int, default=port, help=port_help)
    parser.add_argument("--interval", type=float, default=interval, help="seconds between ticks")
    parser.add_argument("--duration", type=float, default=8 * 3600)
    return parser


def connect(url, db, login, password):
    """A ``call(model, method, *args, **kwargs)`` on the hub, logged in."""
    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, login, password, {})
    if not uid:
        sys.exit(f"sandbox: cannot log in to {db} as {login}")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(db, uid, password, model, method, list(args), kwargs)

    return call


def fresh_api_key(call, backend_id, name):
    """Revoke the backend's keys and return a new one (shown once, like to a partner)."""
    old = call("logistics.backend.key", "search", [("backend_id", "=", backend_id)])
    call("logistics.backend.key", "write", old, {"active": False})
    wizard = call(
        "logistics.backend.key.generate", "create", {"backend_id": backend_id, "name": name}
    )
    call("logistics.backend.key.generate", "action_generate", [wizard])
    return call("logistics.backend.key.generate", "read", [wizard], ["key"])[0]["key"]


def run(tick, interval, duration, name, done=lambda: False):
    """Call ``tick`` every ``interval`` seconds for ``duration`` seconds (or until
    ``done()``); stop when the hub has been unreachable for a minute."""
    deadline, unreachable_since = time.monotonic() + duration, None
    while time.monotonic() < deadline and not done():
        try:
            tick()
            unreachable_since = None
        except requests.RequestException:
            unreachable_since = unreachable_since or time.monotonic()
            if time.monotonic() - unreachable_since > 60:
                print(f"{name}: hub unreachable for 60 s, stopping", flush=True)
                return
        time.sleep(interval)
