"""Profile the API's single-event path in one process: where does a request's time go?

Run:  .venv/bin/python tests/profile_api.py [--db logistics_test] [--requests 300]

Posts canonical events through Odoo's own WSGI application (the whole request
dispatch: routing, authentication, the door, the commit, scheduling) under
cProfile, after a warm-up, and prints the functions by cumulative time and the
mean milliseconds per request. Needs a database with the suite installed
(./setup/test leaves one). Nothing listens on a port.
"""

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support.odoo_server import ODOO_SRC, VAR_DIR

sys.path.insert(0, str(ODOO_SRC))
from werkzeug.test import Client

import odoo


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="logistics_test")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", str(VAR_DIR / "test.conf"), "-d", args.db])
    odoo.tools.config["db_name"] = args.db
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        backend = env["logistics.backend"].create(
            {"name": "Profile", "code": f"profile_{int(time.time())}", "rate_limit_per_minute": 0}
        )
        _record, key = env["logistics.backend.key"]._generate(backend)
    client = Client(odoo.http.root)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    stamp = int(time.time())

    def post(n):
        event = {
            "event_id": f"p{stamp}-{n}",
            "shipment_ref": f"P{stamp}-{n // 8}",
            "code": "IN_TRANSIT",
            "event_time": "2024-05-01T10:00:00+02:00",
        }
        response = client.post("/logistics/v1/events", data=json.dumps(event), headers=headers)
        assert response.status_code == 202, response.get_data(as_text=True)

    for n in range(30):  # warm-up: routing map, caches
        post(n)
    profile = cProfile.Profile()
    began = time.perf_counter()
    profile.enable()
    for n in range(30, 30 + args.requests):
        post(n)
    profile.disable()
    elapsed = time.perf_counter() - began
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    print(f"{args.requests} requests, {1000 * elapsed / args.requests:.2f} ms each (profiled)")


if __name__ == "__main__":
    main()
