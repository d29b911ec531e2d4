"""The public links' tokens (R9.1): unguessable, never stored.

A token is 192 bits: an HMAC (SHA-256, under the secret key) of a random nonce, base64url. The row
keeps the nonce and the token's SHA-256: a lookup hashes what the link carries and finds the row by
that hash (an index lookup, no string comparison of the secret), and the link can be shown again
(the portal lists open invitations) only by someone who holds the secret key as well as the row.
"""

import base64
import hashlib
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

TOKEN_LENGTH = 32  # base64url characters: 192 bits
_SALT = "fuwu.surveys.invitation"


def token_for(nonce: str) -> str:
    digest = salted_hmac(_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode()[:TOKEN_LENGTH]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> tuple[str, str, str]:
    """(token, nonce, token hash) for a new invitation."""
    nonce = secrets.token_urlsafe(16)
    token = token_for(nonce)
    return token, nonce, hash_token(token)


def looks_like_token(token: str) -> bool:
    return len(token) == TOKEN_LENGTH and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)


def public_path(nonce: str) -> str:
    return reverse("survey_public", args=[token_for(nonce)])


def public_url(nonce: str) -> str:
    return settings.FUWU_SITE_URL.rstrip("/") + public_path(nonce)
