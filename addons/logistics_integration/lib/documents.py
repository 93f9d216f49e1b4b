"""What a document file is, told by its content: never by its name or by the
type its sender claims. The hub keeps images and PDFs (proofs of delivery,
signatures, photos) and nothing a browser would run."""

import base64
import binascii
import re

# leading bytes of each kept type
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/tiff": "tif",
    "image/webp": "webp",
}
KEPT_TYPES = frozenset(EXTENSIONS)
# a data URL's head, as phones and browsers write base64 files
DATA_URL = re.compile(r"^data:[\w.+/-]*(;[\w=.-]+)*;base64,", re.IGNORECASE)


def sniff(content):
    """The mimetype of ``content`` among the kept types, else None."""
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    for signature, mimetype in SIGNATURES:
        if content.startswith(signature):
            return mimetype
    return None


def decode_base64(text):
    """The bytes of base64 ``text`` as senders write it: wrapped in lines,
    padded with spaces, or as a data URL. Raises ValueError when it is not."""
    text = DATA_URL.sub("", text.strip())
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except binascii.Error as error:
        raise ValueError(f"not base64: {error}") from error
