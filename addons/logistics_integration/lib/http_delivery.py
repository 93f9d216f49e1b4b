"""One HTTP POST to a partner, its answer sorted into what the outbox needs to
know: delivered (the status), worth retrying (TransientError), or refused for
good (PermanentError)."""

from urllib.parse import urlsplit

import requests

from .errors import PermanentError, TransientError

# Answers worth trying again: the destination is busy or broken, not the message.
RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


MAX_RETRY_AFTER = 3600


def post(url, body, headers, timeout=(5, 30)):
    return _post(url, body, headers, timeout).status_code


def post_json(url, body, headers, timeout=(5, 30)):
    """``(status, answer)``: the partner's JSON answer, None when it gave none."""
    response = _post(url, body, headers, timeout)
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, None


def _post(url, body, headers, timeout):
    try:
        response = requests.post(
            url, data=body, headers=headers, timeout=timeout, allow_redirects=False
        )
    except requests.RequestException as error:
        # the error text holds the URL's path and query, which may carry a token
        host = urlsplit(url).hostname
        raise TransientError(
            f"{type(error).__name__} reaching {host}", code="unreachable"
        ) from error
    if response.status_code in RETRYABLE_STATUS:
        raise TransientError(
            f"HTTP {response.status_code}",
            code=f"http_{response.status_code}",
            retry_after=_retry_after(response.headers.get("Retry-After", "")),
        )
    if response.status_code >= 400:
        raise PermanentError(
            f"HTTP {response.status_code}: {response.text[:500]}",
            code=f"http_{response.status_code}",
            exception_type="invalid_message",
        )
    return response


def _retry_after(value):
    """Seconds a Retry-After header asks for, if it is a sane number of them."""
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(int(value), MAX_RETRY_AFTER)
    return None
