"""What an uploaded file is, decided from its content, never from the name or the type the browser declared.

An `evil.html` declared as `image/png` must not be stored and served as anything but what its bytes
are. Binary formats are recognised by their signatures (the `filetype` library: images, PDF, ZIP and
the Office formats inside it); a file with no signature is plain text when it is valid UTF-8 without
control characters, and markup is never plain text.
"""

import re

import filetype
from django.core.files.uploadedfile import UploadedFile

_HEAD = 8192  # filetype looks no further than this
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKUP = re.compile(r"^\s*<(?:!doctype|html|\?xml|svg|script|[a-z]+[\s>/])", re.IGNORECASE)


def sniff_content_type(file: UploadedFile) -> str | None:
    """The file's media type as its content shows it; None when it is none we can name."""
    file.seek(0)
    head = file.read(_HEAD)
    file.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    try:
        text = b"".join(file.chunks()).decode("utf-8")
    except UnicodeDecodeError:
        return None
    finally:
        file.seek(0)
    if _CONTROL.search(text) or _MARKUP.match(text):
        return None
    return "text/plain"
