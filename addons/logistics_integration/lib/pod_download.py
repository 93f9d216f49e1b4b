"""Fetching a proof of delivery document from the URL a partner (carrier, TMS) gives.

The URL comes from the partner's data, so it is not trusted: our API token
goes only to the partner's own API host, other hosts must be public internet
addresses (no requests into our network), and only documents and images are
kept, under the type they are (never HTML that a browser would run).
"""

import re
from urllib.parse import urlsplit

import requests

from . import documents

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = (5, 30)


class PodUnavailable(Exception):
    """The carrier could not serve the document now: try later."""


class PodRefused(Exception):
    """The document will not come (gone, too large, not allowed)."""


def fetch(url, api_url, token, private_address, max_bytes=MAX_BYTES):
    """Return ``(file name, mimetype, bytes)`` of the document at ``url``;
    ``api_url`` is the carrier's API (its host gets the ``token``),
    ``private_address(host, port)`` names a non-public address of a host."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PodRefused(f"not an http(s) URL: {url!r}")
    own_host = parts.hostname == urlsplit(api_url or "").hostname
    if not own_host:
        refused = private_address(parts.hostname, parts.port or 443)
        if refused:
            raise PodRefused(f"{parts.hostname} is not a public address ({refused})")
    headers = {"Authorization": f"Bearer {token}"} if token and own_host else {}
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
        mimetype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if mimetype not in documents.KEPT_TYPES:
            raise PodRefused(f"a {mimetype or 'typeless'} document is not kept as a POD")
        content = b""
        for chunk in response.iter_content(64 * 1024):
            content += chunk
            if len(content) > max_bytes:
                raise PodRefused(f"larger than {max_bytes} bytes")
        if documents.sniff(content) != mimetype:  # a type claimed is not a type had
            raise PodRefused(f"the content is not the {mimetype} it is said to be")
        disposition = response.headers.get("Content-Disposition", "")
        match = re.search(r'filename="?([^";/\\]+)"?', disposition)
        name = match.group(1) if match else parts.path.rsplit("/", 1)[-1]
        return name, mimetype, content
