"""A sandbox carrier on loopback: a REST tracking API and a SOAP service.

A real HTTP server (tests, the demo and the benchmark use it) holding parcels
with scan schedules. What a scan schedule shows depends on the sandbox's
clock, so a benchmark can run days of a parcel's life in seconds.

- ``GET /v1/tracking?numbers=a,b`` answers a batch (``{"trackings": [...]}``),
  at most ``batch_max`` numbers, under a per-second quota (429 + Retry-After);
- ``GET /soap?wsdl`` serves the WSDL, ``POST /soap`` answers ``GetTracking``;
- ``GET /pod/<number>.pdf`` serves a POD document;
- faults switch on with :meth:`fault`: ``slow`` (seconds per answer),
  ``http_429`` (the next N answers are 429 with Retry-After: 120),
  ``http_500`` (the next N answers), ``malformed`` (the next N answers are not
  JSON), ``soap_fault`` (the next N SOAP answers are Server faults);
- :meth:`webhook` posts a signed webhook of a parcel to the hub.

Not imported by Odoo: plain Python, standard library plus requests and lxml.
"""

import importlib.util
import json
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import requests
from lxml import etree

NS = "urn:sandbox:tracking"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
# The sandbox carrier's own status codes: (code, text, reason)
CODES = {
    "PU": "Picked up",
    "AR": "Arrived at facility",
    "IT": "In transit",
    "DL": "Delayed",
    "OD": "Out for delivery",
    "DF": "Delivery attempted",
    "DE": "Delivered",
    "RS": "Returned to sender",
}
CITIES = [("Chicago", "US"), ("Indianapolis", "US"), ("Memphis", "US"), ("Dallas", "US")]
# a WSDL that tries entity expansion and a local file read
HOSTILE_WSDL = """<?xml version="1.0"?>
<!DOCTYPE definitions [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY file SYSTEM "file:///etc/passwd">]>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" name="&b;&file;"/>
"""
POD_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Scan:
    time: datetime
    code: str
    city: str = ""
    country: str = ""
    reason: str = ""


@dataclass
class Parcel:
    number: str
    ship_date: datetime
    scans: list = field(default_factory=list)
    eta: datetime | None = None
    error: str = ""
    charges: list = field(default_factory=list)

    def delivered_at(self):
        return next((scan.time for scan in self.scans if scan.code == "DE"), None)


def realistic_parcel(rng, number, start):
    """A parcel's life: pickup, 2-4 days of transit scans, sometimes a delay
    or a failed attempt, out for delivery in the morning, delivered."""
    t = start + timedelta(hours=rng.uniform(1, 6))
    city = rng.choice(CITIES)
    scans = [Scan(t, "PU", *city)]
    days = rng.uniform(2, 4)
    end = start + timedelta(days=days)
    while True:
        t += timedelta(hours=rng.uniform(8, 20))
        if t >= end:
            break
        if rng.random() < 0.1:
            scans.append(Scan(t, "DL", *rng.choice(CITIES), reason="WEATHER"))
            end += timedelta(hours=12)
        else:
            scans.append(Scan(t, rng.choice(["AR", "IT"]), *rng.choice(CITIES)))
    morning = end.replace(hour=8, minute=rng.randint(0, 59), second=0, microsecond=0)
    if morning <= t:
        morning += timedelta(days=1)
    if rng.random() < 0.05:
        scans.append(Scan(morning, "OD", *city))
        scans.append(Scan(morning + timedelta(hours=4), "DF", *city, reason="NOT_HOME"))
        morning += timedelta(days=1)
    scans.append(Scan(morning, "OD", *city))
    scans.append(Scan(morning + timedelta(hours=rng.uniform(1, 7)), "DE", *city))
    return Parcel(number, start, scans, eta=morning + timedelta(hours=4))


class CarrierSandbox:
    def __init__(self, token="", quota_per_second=0, batch_max=50, clock=None, seed=7):
        self.token, self.quota, self.batch_max = token, quota_per_second, batch_max
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.parcels = {}
        self.rng = random.Random(seed)
        self.faults = {}
        self.requests = 0  # tracking requests (REST and SOAP)
        self.statuses = {}
        self._window = (0, 0)  # (second, hits)
        self._lock = threading.Lock()
        self.server = None

    # --- control ------------------------------------------------------------------

    def start(self, port=0):
        sandbox = self

        class Handler(_Handler):
            carrier = sandbox

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, parcel):
        self.parcels[parcel.number] = parcel
        return parcel

    def fault(self, name, value):
        self.faults[name] = value

    # --- what the carrier says ------------------------------------------------------

    def document(self, number):
        parcel = self.parcels.get(number)
        if parcel is None:
            return {"tracking_number": number, "events": []}
        if parcel.error:
            return {"tracking_number": number, "error": parcel.error}
        now = self.clock()
        seen = [scan for scan in parcel.scans if scan.time <= now]
        document = {
            "tracking_number": number,
            "ship_date": parcel.ship_date.date().isoformat(),
            "events": [
                {
                    "id": f"{number}-{index}",
                    "code": scan.code,
                    "description": CODES.get(scan.code, scan.code),
                    "time": scan.time.isoformat(),
                    "reason": scan.reason,
                    "location": {"city": scan.city, "country": scan.country},
                }
                for index, scan in enumerate(seen)
            ],
        }
        if parcel.eta:
            document["estimated_delivery"] = parcel.eta.isoformat()
        if any(scan.code == "DE" for scan in seen):
            document["pod"] = {"url": f"{self.url}/pod/{number}.pdf", "signed_by": "J. SMITH"}
        if parcel.charges:
            document["charges"] = parcel.charges
        return document

    def webhook(self, hub_url, number, scheme, secret, header="X-Carrier-Signature", prefix=""):
        """POST a signed webhook with the parcel's current state; the answer."""
        webhook_signature = _signature_lib()
        body = json.dumps({"event": "tracking.updated", "data": self.document(number)}).encode()
        headers = webhook_signature.sign(
            scheme, body, secret, prefix=prefix, webhook_id=f"wh_{number}_{len(body)}"
        )
        if "signature" in headers:
            headers = {header: headers.pop("signature")}
        headers["Content-Type"] = "application/json"
        return requests.post(hub_url, data=body, headers=headers, timeout=10)

    # --- serving --------------------------------------------------------------------

    def _over_quota(self):
        if not self.quota:
            return False
        with self._lock:
            second = int(time.time())
            start, hits = self._window
            hits = hits + 1 if start == second else 1
            self._window = (second, hits)
            return hits > self.quota

    def _take_fault(self, name):
        with self._lock:
            left = self.faults.get(name, 0)
            if left:
                self.faults[name] = left - 1
            return bool(left)

    def _count(self, status):
        with self._lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1


class _Handler(BaseHTTPRequestHandler):
    carrier = None  # set per server
    protocol_version = "HTTP/1.1"  # keep-alive: every answer has its Content-Length
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms ACK wait

    def log_message(self, *args):
        pass

    def _send(self, status, body, content_type="application/json", headers=None):
        self.carrier._count(status)
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = urlsplit(self.path).path
        if path == "/soap":
            self._send(200, _wsdl(f"{self.carrier.url}/soap"), "text/xml")
        elif path == "/hostile":
            self._send(200, HOSTILE_WSDL, "text/xml")
        elif path.startswith("/track/"):
            self._send(200, _tracking_page(self.carrier.document(path[7:])), "text/html")
        elif path.startswith("/pod/"):
            self._send(200, POD_PDF, "application/pdf")
        elif path == "/v1/tracking":
            self.carrier.requests += 1
            self._send(*self._tracking_answer())
        else:
            self._send(404, '{"error": "not found"}')

    def _tracking_answer(self):
        """``(status, body[, content type, headers])`` of a tracking request."""
        carrier = self.carrier
        numbers = [
            n for n in parse_qs(urlsplit(self.path).query).get("numbers", [""])[0].split(",") if n
        ]
        time.sleep(carrier.faults.get("slow", 0))
        refusals = [
            (
                lambda: carrier.token
                and self.headers.get("Authorization") != f"Bearer {carrier.token}",
                (401, '{"error": "bad credentials"}'),
            ),
            (
                carrier._over_quota,
                (429, '{"error": "quota"}', "application/json", {"Retry-After": "1"}),
            ),
            (
                lambda: carrier._take_fault("http_429"),
                (429, '{"error": "daily quota"}', "application/json", {"Retry-After": "120"}),
            ),
            (lambda: carrier._take_fault("http_500"), (500, '{"error": "internal"}')),
            (
                lambda: carrier._take_fault("malformed"),
                (200, '{"trackings": [{"tracking_number": '),
            ),
            (
                lambda: not numbers or len(numbers) > carrier.batch_max,
                (400, json.dumps({"error": f"1 to {carrier.batch_max} numbers"})),
            ),
            (
                lambda: any(not number.isalnum() for number in numbers),
                (400, '{"error": "malformed tracking number"}'),
            ),
        ]
        for refused, answer in refusals:
            if refused():
                return answer
        return 200, json.dumps({"trackings": [carrier.document(number) for number in numbers]})

    def do_POST(self):
        carrier = self.carrier
        if urlsplit(self.path).path != "/soap":
            return self._send(404, '{"error": "not found"}')
        carrier.requests += 1
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if carrier._take_fault("soap_fault"):
            return self._send(500, _fault("soap:Server", "tracking backend down"), "text/xml")
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            root = etree.fromstring(body, parser)
        except etree.XMLSyntaxError:
            return self._send(500, _fault("soap:Client", "not XML"), "text/xml")
        numbers = [n.text for n in root.iter(f"{{{NS}}}numbers") if n.text]
        return self._send(200, _soap_answer([carrier.document(n) for n in numbers]), "text/xml")


def _signature_lib():
    """The addon's signature code, loaded from its file: the sandbox also runs
    as a plain script beside Odoo (the demo, the benchmark)."""
    path = Path(__file__).resolve().parents[1] / "lib" / "webhook_signature.py"
    spec = importlib.util.spec_from_file_location("carrier_webhook_signature", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tracking_page(document):
    """The carrier's public tracking page of a number."""
    rows = "".join(
        f"<tr><td>{escape(e['time'])}</td><td>{escape(e['description'])}</td>"
        f"<td>{escape(e['location']['city'])}</td></tr>"
        for e in reversed(document.get("events", []))
    )
    number = escape(document["tracking_number"])
    return f"<html><body><h1>Tracking {number}</h1><table>{rows}</table></body></html>"


def _soap_answer(documents):
    trackings = []
    for document in documents:
        parts = [f"<trackingNumber>{escape(document['tracking_number'])}</trackingNumber>"]
        if document.get("error"):
            parts.append(f"<error>{escape(document['error'])}</error>")
        if document.get("estimated_delivery"):
            parts.append(f"<estimatedDelivery>{document['estimated_delivery']}</estimatedDelivery>")
        for event in document.get("events", []):
            parts.append(
                "<event>"
                f"<code>{escape(event['code'])}</code>"
                f"<description>{escape(event['description'])}</description>"
                f"<time>{event['time']}</time>"
                f"<city>{escape(event['location']['city'])}</city>"
                f"<country>{escape(event['location']['country'])}</country>"
                "</event>"
            )
        trackings.append("<tracking>" + "".join(parts) + "</tracking>")
    return (
        f'<soap:Envelope xmlns:soap="{SOAP_NS}"><soap:Body>'
        f'<GetTrackingResponse xmlns="{NS}">{"".join(trackings)}</GetTrackingResponse>'
        "</soap:Body></soap:Envelope>"
    )


def _fault(code, text):
    return (
        f'<soap:Envelope xmlns:soap="{SOAP_NS}"><soap:Body><soap:Fault>'
        f"<faultcode>{code}</faultcode><faultstring>{escape(text)}</faultstring>"
        "</soap:Fault></soap:Body></soap:Envelope>"
    )


def _wsdl(location):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions name="TrackingService" targetNamespace="{NS}" xmlns:tns="{NS}"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns="http://schemas.xmlsoap.org/wsdl/">
  <types>
    <xsd:schema targetNamespace="{NS}" elementFormDefault="qualified">
      <xsd:element name="GetTracking">
        <xsd:complexType><xsd:sequence>
          <xsd:element name="numbers" type="xsd:string" maxOccurs="unbounded"/>
        </xsd:sequence></xsd:complexType>
      </xsd:element>
      <xsd:complexType name="Event"><xsd:sequence>
        <xsd:element name="code" type="xsd:string"/>
        <xsd:element name="description" type="xsd:string" minOccurs="0"/>
        <xsd:element name="time" type="xsd:dateTime"/>
        <xsd:element name="city" type="xsd:string" minOccurs="0"/>
        <xsd:element name="country" type="xsd:string" minOccurs="0"/>
      </xsd:sequence></xsd:complexType>
      <xsd:complexType name="Tracking"><xsd:sequence>
        <xsd:element name="trackingNumber" type="xsd:string"/>
        <xsd:element name="error" type="xsd:string" minOccurs="0"/>
        <xsd:element name="estimatedDelivery" type="xsd:dateTime" minOccurs="0"/>
        <xsd:element name="event" type="tns:Event" minOccurs="0" maxOccurs="unbounded"/>
      </xsd:sequence></xsd:complexType>
      <xsd:element name="GetTrackingResponse">
        <xsd:complexType><xsd:sequence>
          <xsd:element name="tracking" type="tns:Tracking" minOccurs="0" maxOccurs="unbounded"/>
        </xsd:sequence></xsd:complexType>
      </xsd:element>
    </xsd:schema>
  </types>
  <message name="GetTrackingRequest"><part name="parameters" element="tns:GetTracking"/></message>
  <message name="GetTrackingResponse"><part name="parameters" element="tns:GetTrackingResponse"/></message>
  <portType name="TrackingPort">
    <operation name="GetTracking">
      <input message="tns:GetTrackingRequest"/><output message="tns:GetTrackingResponse"/>
    </operation>
  </portType>
  <binding name="TrackingBinding" type="tns:TrackingPort">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="GetTracking">
      <soap:operation soapAction="{NS}:GetTracking"/>
      <input><soap:body use="literal"/></input><output><soap:body use="literal"/></output>
    </operation>
  </binding>
  <service name="TrackingService">
    <port name="TrackingPort" binding="tns:TrackingBinding"><soap:address location="{location}"/></port>
  </service>
</definitions>
"""
