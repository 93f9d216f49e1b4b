"""One HTTP POST to a partner, its answer sorted into what the outbox needs to
know: delivered (the status), worth retrying (TransientError), or refused for
good (PermanentError)."""

import requests

from .errors import PermanentError, TransientError

# Answers worth trying again: the destination is busy or broken, not the message.
RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


def post(url, body, headers, timeout=(5, 30)):
    try:
        response = requests.post(url, data=body, headers=headers, timeout=timeout)
    except requests.RequestException as error:
        raise TransientError(f"{type(error).__name__}: {error}", code="unreachable") from error
    if response.status_code in RETRYABLE_STATUS:
        retry_after = response.headers.get("Retry-After", "")
        raise TransientError(
            f"HTTP {response.status_code}",
            code=f"http_{response.status_code}",
            retry_after=int(retry_after) if retry_after.isdigit() else None,
        )
    if response.status_code >= 400:
        raise PermanentError(
            f"HTTP {response.status_code}: {response.text[:500]}",
            code=f"http_{response.status_code}",
            exception_type="invalid_message",
        )
    return response.status_code
