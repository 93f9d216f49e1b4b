"""Polling a SOAP carrier through zeep, against the carrier's WSDL.

The XML parser is hardened (no DTDs, no entities, no external loads, no huge
trees), calls have a connect and a read timeout, and SOAP faults are sorted
like HTTP answers: a Client fault is the request's fault (CarrierRefused),
a Server fault or a 5xx a passing one (CarrierUnavailable). The answer comes
back as plain dicts and lists, for the same mapping as a REST answer.
"""

import threading

import requests
from lxml import etree
from zeep import Client, Settings
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault, TransportError
from zeep.helpers import serialize_object
from zeep.transports import Transport

from .errors import BadAnswer, CarrierRefused, CarrierUnavailable

SETTINGS = Settings(
    strict=False,
    xml_huge_tree=False,
    forbid_dtd=True,
    forbid_entities=True,
    forbid_external=True,
)
_clients = threading.local()


def fetch(wsdl_url, operation, numbers, username="", password="", timeout=(5, 30)):
    """Call ``operation(numbers=[...])``; return the answer as dicts and lists."""
    try:
        client = _client(wsdl_url, username, password, timeout)
        method = getattr(client.service, operation)
    except AttributeError as error:
        raise CarrierRefused(
            f"the WSDL has no operation {operation!r}", code="no_operation"
        ) from error
    try:
        return serialize_object(method(numbers=list(numbers)), target_cls=dict)
    except Fault as fault:
        code = (fault.code or "").rpartition(":")[2].lower()
        if code in ("client", "sender"):
            raise CarrierRefused(
                f"SOAP fault: {fault.message}", code="soap_client_fault"
            ) from fault
        raise CarrierUnavailable(
            f"SOAP fault: {fault.message}", code="soap_server_fault"
        ) from fault
    except TransportError as error:
        status = error.status_code or 0
        if 400 <= status < 500 and status not in (408, 429):
            raise CarrierRefused(f"HTTP {status}", code=f"http_{status}") from error
        raise CarrierUnavailable(f"HTTP {status}", code=f"http_{status}") from error
    except requests.RequestException as error:
        raise CarrierUnavailable(
            f"{type(error).__name__} reaching the carrier", code="unreachable"
        ) from error
    except (etree.XMLSyntaxError, ZeepError) as error:
        raise BadAnswer(f"unreadable SOAP answer: {error}", str(error)) from error


def _client(wsdl_url, username, password, timeout):
    """One zeep client per thread and WSDL: reading a WSDL costs more than a call."""
    cache = _clients.__dict__.setdefault("clients", {})
    key = (wsdl_url, username, password, timeout)
    if key not in cache:
        session = requests.Session()
        if username:
            session.auth = (username, password)
        transport = Transport(session=session, timeout=timeout[0], operation_timeout=timeout[1])
        try:
            cache[key] = Client(wsdl_url, settings=SETTINGS, transport=transport)
        except requests.RequestException as error:
            raise CarrierUnavailable("the WSDL could not be loaded", code="unreachable") from error
        except (etree.XMLSyntaxError, ZeepError) as error:
            raise CarrierRefused(f"the WSDL is not usable: {error}", code="invalid_wsdl") from error
    return cache[key]
