"""Check a running demo: the web client loads, admin can log in and read
shipments over JSON-RPC, and the logistics API accepts an event that the job
runner then processes.

Usage: python smoke_check.py <base url> <database>
"""

import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sandbox"))
from feeder import provision


def check(base_url, database):
    session = requests.Session()
    login_page = session.get(f"{base_url}/web/login", timeout=30)
    assert login_page.status_code == 200, f"/web/login answered {login_page.status_code}"
    assert "oe_login_form" in login_page.text, "/web/login shows no login form"

    def rpc(service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
        }
        answer = session.post(f"{base_url}/jsonrpc", json=payload, timeout=30).json()
        assert "error" not in answer, answer.get("error")
        return answer["result"]

    uid = rpc("common", "login", database, "admin", "admin")
    assert uid, "admin / admin cannot log in"
    count = rpc(
        "object", "execute_kw", database, uid, "admin", "logistics.shipment", "search_count", [[]]
    )
    assert count > 0, "the demo has no shipments"

    health = session.get(f"{base_url}/logistics/v1/health", timeout=30)
    assert health.status_code == 200, f"/logistics/v1/health answered {health.status_code}"
    assert health.json().get("status") == "ok", health.text

    # the TMS names a load with its PRO; the carrier reports by that PRO: one shipment
    key, carrier_key = provision(base_url, database, "admin", "admin")
    assert carrier_key, "the demo has no carrier tracking backend"
    load = f"SMOKE-{int(time.time())}"
    tms_event = {
        "shipment_ref": load,
        "code": "DISPATCHED",
        "event_time": "2024-05-01T09:00:00Z",
        "shipment": {"carrier_scac": "BRFT", "pro_number": f"PRO-{load}"},
    }
    carrier_event = {
        "shipment_ref": f"PRO-{load}",
        "code": "PICKED_UP",
        "event_time": "2024-05-01T10:00:00Z",
    }
    tms = processed(session, base_url, key, tms_event)
    carrier = processed(session, base_url, carrier_key, carrier_event)
    assert tms["shipment"] == carrier["shipment"], f"two shipments for one load: {tms}, {carrier}"
    return count


def processed(session, base_url, key, event):
    """Post ``event``; return its message's state once the job runner processed it."""
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    answer = session.post(
        f"{base_url}/logistics/v1/events", json=event, headers=headers, timeout=30
    )
    assert answer.status_code == 202, f"the events API answered {answer.status_code}: {answer.text}"
    message_url = f"{base_url}/logistics/v1/messages/{answer.json()['message_id']}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = session.get(message_url, headers=headers, timeout=30).json()
        if state["state"] != "queued":
            break
        time.sleep(0.5)
    assert state["state"] == "done", f"the event was not processed by the job runner: {state}"
    return state


if __name__ == "__main__":
    try:
        shipments = check(sys.argv[1], sys.argv[2])
    except (AssertionError, requests.RequestException, ValueError) as error:
        print(f"smoke check failed: {error}")
        sys.exit(1)
    print(f"web client, JSON-RPC ({shipments} shipments), logistics API and job runner answer")
