"""Fetching a proof of delivery document from the URL a carrier gives."""

import re
from urllib.parse import urlsplit

import requests

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = (5, 30)


class PodUnavailable(Exception):
    """The carrier could not serve the document now: try later."""


class PodRefused(Exception):
    """The document will not come (gone, too large, not allowed)."""


def fetch(url, token="", max_bytes=MAX_BYTES):
    """Return ``(file name, mimetype, bytes)`` of the document at ``url``."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PodRefused(f"not an http(s) URL: {url!r}")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = requests.get(
            url, headers=headers, timeout=TIMEOUT, stream=True, allow_redirects=False
        )
    except requests.RequestException as error:
        raise PodUnavailable(f"{type(error).__name__} reaching {parts.hostname}") from error
    with response:
        if response.status_code == 429 or response.status_code >= 500:
            raise PodUnavailable(f"HTTP {response.status_code}")
        if response.status_code >= 300:
            raise PodRefused(f"HTTP {response.status_code}")
        content = b""
        for chunk in response.iter_content(64 * 1024):
            content += chunk
            if len(content) > max_bytes:
                raise PodRefused(f"larger than {max_bytes} bytes")
        mimetype = response.headers.get("Content-Type", "application/octet-stream").split(";")[0]
        disposition = response.headers.get("Content-Disposition", "")
        match = re.search(r'filename="?([^";]+)"?', disposition)
        name = match.group(1) if match else parts.path.rsplit("/", 1)[-1]
        return name, mimetype, content
