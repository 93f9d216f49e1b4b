"""Sandbox EDI trading partner: a shipper that speaks X12 with the demo.

It sends 204 load tenders and 214 status updates to /logistics/v1/edi, and runs
its own HTTP endpoint on loopback that receives our 990s, 997s and 214s and
acknowledges each of our groups with a 997 of its own. It provisions its API
key over XML-RPC (admin login) on the demo backend "edi_northwind". Stops
after --duration seconds or when the server stays unreachable.

Usage: python edi_partner.py --url http://127.0.0.1:8069 --db logistics_demo
"""

import http.server
import random
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
from common import connect, fresh_api_key, hub_arguments, run

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "addons" / "connector_edi"))
from lib import x12
from lib import x12_sets as tx

BACKEND_CODE = "edi_northwind"
US = "NORTHWIND"
THEM = "LOGISTICSHUB"
STATUS_PATH = ["X3", "AF", "X6", "X1", "D1"]
CITIES = [("CHICAGO", "IL"), ("INDIANAPOLIS", "IN"), ("MEMPHIS", "TN"), ("DALLAS", "TX")]


def provision(url, db, login, password, listen_url):
    """Point the demo EDI backend at our endpoint and get a fresh API key."""
    call = connect(url, db, login, password)
    found = call("logistics.backend", "search", [("code", "=", BACKEND_CODE)])
    if not found:
        sys.exit(f"edi partner: no backend {BACKEND_CODE} (install connector_edi with demo data)")
    call("logistics.backend", "write", found, {"base_url": listen_url})
    return fresh_api_key(call, found[0], "sandbox partner")


class Partner:
    def __init__(self, url, key, rng):
        self.url, self.key, self.rng = url, key, rng
        self.writer = x12.Writer(x12.Separators("*", ">", "^", "~"), newline=True)
        self.control, self.loads, self.number = 0, [], 0
        self.received = 0

    def send(self, functional_id, set_id, body):
        self.control += 1
        text = self.writer.interchange(
            [
                (
                    functional_id,
                    str(self.control),
                    US,
                    THEM,
                    "004010",
                    [(set_id, f"{self.control:04d}", body)],
                )
            ],
            US,
            THEM,
            self.control,
        )
        response = requests.post(
            f"{self.url}/logistics/v1/edi",
            data=text.encode(),
            timeout=30,
            headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/edi-x12"},
        )
        print(f"edi partner: sent {set_id} #{self.control}: {response.status_code}", flush=True)
        if set_id == "214" and self.rng.random() < 0.1:  # a resend: recognised as a duplicate
            requests.post(
                f"{self.url}/logistics/v1/edi",
                data=text.encode(),
                timeout=30,
                headers={
                    "Authorization": f"Bearer {self.key}",
                    "Content-Type": "application/edi-x12",
                },
            )

    def tick(self):
        if len(self.loads) < 4 or self.rng.random() < 0.2:
            self.tender()
        elif self.loads:
            self.status(self.rng.choice(self.loads))

    def tender(self):
        self.number += 1
        load = {
            "ref": f"NW{datetime.now():%m%d}-{self.number:03d}",
            "step": 0,
            "clock": datetime.now(timezone(timedelta(hours=-6))) + timedelta(hours=2),
        }
        pickup, delivery = self.rng.sample(CITIES, 2)
        self.send(
            "SM",
            "204",
            tx.build_204(
                {
                    "scac": "LGHB",
                    "shipment_id": load["ref"],
                    "payment": "PP",
                    "purpose": "00",
                    "references": {"PO": f"PO-{self.number:05d}"},
                    "stops": [
                        {
                            "sequence": 1,
                            "type": "pickup",
                            "reason": "LD",
                            "name": f"Northwind DC {pickup[0].title()}",
                            "location_id": f"NW-{pickup[0][:3]}",
                            "city": pickup[0],
                            "state": pickup[1],
                            "country": "US",
                            "windows": [("69", load["clock"].isoformat(timespec="seconds"))],
                        },
                        {
                            "sequence": 2,
                            "type": "delivery",
                            "reason": "UL",
                            "name": f"Store {delivery[0].title()}",
                            "location_id": f"ST-{delivery[0][:3]}",
                            "city": delivery[0],
                            "state": delivery[1],
                            "country": "US",
                            "windows": [
                                (
                                    "70",
                                    (load["clock"] + timedelta(hours=26)).isoformat(
                                        timespec="seconds"
                                    ),
                                )
                            ],
                        },
                    ],
                    "weight": str(self.rng.randint(4, 40) * 500),
                }
            ),
        )
        load["cities"] = (pickup, delivery)
        self.loads.append(load)

    def status(self, load):
        code = STATUS_PATH[load["step"]]
        load["clock"] += timedelta(hours=self.rng.randint(1, 8))
        city, state = load["cities"][0 if load["step"] < 3 else 1]
        self.send(
            "QM",
            "214",
            tx.build_214(
                {
                    "shipment_id": load["ref"],
                    "scac": "LGHB",
                    "events": [
                        {
                            "status_code": code,
                            "reason_code": "NS",
                            "time": load["clock"].isoformat(timespec="seconds"),
                            "city": city,
                            "state": state,
                            "country": "US",
                        }
                    ],
                }
            ),
        )
        load["step"] += 1
        if load["step"] == len(STATUS_PATH):
            self.loads.remove(load)


def serve(partner, port):
    """Our inbound endpoint: what the hub sends us, acknowledged with a 997."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode(
                errors="replace"
            )
            self.send_response(200)
            self.end_headers()
            partner.received += 1
            acks = []
            try:
                for kind, item in x12.Reader(body):
                    if kind == "set":
                        print(f"edi partner: received {item.id} {item.control}", flush=True)
                    elif kind == "group" and item[1] != "FA":
                        acks.append(tx.build_997(item))
            except x12.X12Error as error:
                print(f"edi partner: unreadable interchange: {error}", flush=True)
            for ack in acks:
                threading.Thread(target=partner.send, args=("FA", "997", ack), daemon=True).start()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    parser = hub_arguments(__doc__, 15.0, 8392, "our own endpoint, on 127.0.0.1")
    args = parser.parse_args()
    key = provision(
        args.url, args.db, args.login, args.password, f"http://127.0.0.1:{args.port}/edi"
    )
    partner = Partner(args.url, key, random.Random())
    server = serve(partner, args.port)
    try:
        run(partner.tick, args.interval, args.duration, "edi partner")
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
