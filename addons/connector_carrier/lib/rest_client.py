"""Polling a REST carrier: one GET for a batch of tracking numbers.

The answer is sorted into what the poller needs: the parsed body, a quota
refusal with the carrier's Retry-After (QuotaExceeded), a passing fault
(CarrierUnavailable: timeouts, 5xx, a body that is not JSON) or a refusal for
good (CarrierRefused: bad credentials, a request the carrier will never take).
"""

from urllib.parse import urlsplit

import requests

from .errors import BadAnswer, CarrierRefused, CarrierUnavailable, QuotaExceeded

MAX_RETRY_AFTER = 3600


def fetch(base_url, path, numbers, token="", timeout=(5, 30), session=None):
    """GET ``base_url + path?numbers=a,b,c``; return the JSON body."""
    url = base_url.rstrip("/") + "/" + path.lstrip("/")
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = (session or requests).get(
            url,
            params={"numbers": ",".join(numbers)},
            headers=headers,
            timeout=timeout,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        raise CarrierUnavailable(
            f"{type(error).__name__} reaching {urlsplit(url).hostname}", code="unreachable"
        ) from error
    status = response.status_code
    if status == 429:
        raise QuotaExceeded(
            "HTTP 429 (quota)", retry_after=retry_after(response.headers.get("Retry-After", ""))
        )
    if status in (408, 425) or status >= 500:
        raise CarrierUnavailable(f"HTTP {status}", code=f"http_{status}")
    if status >= 400:
        raise CarrierRefused(f"HTTP {status}: {response.text[:300]}", code=f"http_{status}")
    try:
        return response.json()
    except ValueError as error:
        raise BadAnswer(f"HTTP {status} with a body that is not JSON", response.text) from error


def retry_after(value):
    """Seconds a Retry-After header asks for (at least 1), or None."""
    value = value.strip()
    if value.isascii() and value.isdigit():
        return max(1, min(int(value), MAX_RETRY_AFTER))
    return None
