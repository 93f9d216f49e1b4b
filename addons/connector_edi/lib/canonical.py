"""EDI data as canonical objects, and back: what a 214 or an IFTSTA says as
canonical events, what a tender says of its shipment, a canonical milestone
as 214 or IFTSTA status data. Plain functions: the models look up code
mappings and apply; the translation is here."""

# STS C555 agencies of the UN/ECE Rec. 24 list itself; others are carriers' own codes.
STANDARD_AGENCIES = ("", "6")
# RFF qualifiers (UN/EDIFACT 1153) recorded as the shipment's identifiers:
# bill of lading, booking, carrier's reference, order number
REFERENCE_IDENTIFIERS = {"BM": "bol", "BN": "booking", "CN": "tracking", "ON": "customer_order"}


def events_from_214(status, origin, own_list=""):
    """Canonical events of a read 214 (``origin`` makes their ids unique). Its
    AT7 codes are X12's own list, whatever ``own_list`` the partner has."""
    ref = status.get("shipment_id") or status.get("pro_number")
    shipment = {
        key: value
        for key, value in (
            ("pro_number", status.get("pro_number")),
            ("bol_number", status.get("references", {}).get("BM")),
            ("carrier_scac", status.get("scac")),
        )
        if value
    }
    for number, event in enumerate(status["events"], 1):
        canonical = {
            "event_id": f"{origin}:{number}",
            "shipment_ref": ref,
            "source_code": event["status_code"] or event["appointment_code"],
            "code_list": "x12_214_at7_status",
            "event_time": event["time"],
            "shipment": shipment,
        }
        if event.get("reason_code"):
            canonical["reason"] = {"code": event["reason_code"]}
        if event.get("city"):
            location = {"name": event["city"], "city": event["city"]}
            if len(event.get("country") or "") == 2:
                location["country"] = event["country"]
            canonical["location"] = location
        yield canonical


def events_from_iftsta(report, origin, own_list=""):
    """Canonical events of a read IFTSTA. Standard status codes (UN/ECE Rec. 24)
    map through the standard list, carriers' own through ``own_list``; the
    message's references name its consignment when there is only one."""
    shared = report["references"] if len(report["consignments"]) == 1 else {}
    for consignment in report["consignments"]:
        references = {**shared, **consignment["references"]}
        identifiers = [
            {"type": kind, "value": references[qualifier]}
            for qualifier, kind in REFERENCE_IDENTIFIERS.items()
            if references.get(qualifier)
        ]
        for number, event in enumerate(consignment["events"], 1):
            standard = event.get("agency", "") in STANDARD_AGENCIES
            canonical = {
                "event_id": f"{origin}:{consignment['reference']}:{number}",
                "shipment_ref": consignment["reference"],
                "source_code": event["status_code"],
                "code_list": "unece_rec24" if standard or not own_list else own_list,
                "event_time": event["time"],
            }
            if identifiers:
                canonical["identifiers"] = identifiers
            if event.get("eta"):
                canonical["eta"] = event["eta"]
            if event.get("reason_code"):
                canonical["reason"] = {
                    "code": event["reason_code"],
                    "text": event.get("reason_text", ""),
                }
            if event.get("location_code") or event.get("location_name"):
                canonical["location"] = {
                    "code": event.get("location_code", ""),
                    "name": event.get("location_name", ""),
                }
            yield canonical


def tender_shipment(tender):
    """What a tender (204 or IFTMIN) says of its shipment, to find or create it."""
    references = tender.get("references", {})
    return {
        "carrier_scac": tender.get("scac") or None,
        "customer_ref": references.get("PO") or references.get("CU"),
        "bol_number": references.get("BM"),
    }


def status_from_milestone(milestone, scac, status_code):
    """A canonical milestone (webhook shape) as 214 status data."""
    location = milestone.get("location") or {}
    customer_ref = milestone["shipment"].get("customer_ref")
    return {
        "shipment_id": milestone["shipment_ref"],
        "scac": scac or "",
        "references": {"PO": customer_ref} if customer_ref else {},
        "events": [
            {
                "status_code": status_code,
                "reason_code": (milestone.get("reason") or {}).get("code") or "NS",
                "time": milestone["event_time"],
                "city": location.get("name", "")[:30],
            }
        ],
    }


def report_from_milestone(milestone, status_code):
    """A canonical milestone as IFTSTA report data (a Rec. 24 status)."""
    location = milestone.get("location") or {}
    return {
        "document": milestone["event_id"],
        "consignments": [
            {
                "reference": milestone["shipment_ref"],
                "references": {},
                "events": [
                    {
                        "status_code": status_code,
                        "agency": "6",
                        "time": milestone["event_time"],
                        "location_code": location.get("code", ""),
                        "location_name": location.get("name", ""),
                    }
                ],
            }
        ],
    }
