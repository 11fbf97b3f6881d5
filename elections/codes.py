"""Personal voting codes and ballot receipts.

A voting code is derived at render time from a random per-voter seed and the server secret
(`HMAC(SECRET_KEY, "voting-code:" + seed)`), so the plain code is never stored: the roll entry keeps only the seed
and `code_hash` (another HMAC of the code, for look-up). Without the secret key a code cannot be computed from the
database, and without the database it cannot be guessed (12 characters from a 31-letter alphabet, ~59 bits).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

#: No 0/O, 1/I/L, U/V confusion for readers of a paper letter.
ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 12


def _hmac(purpose: str, value: str) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()


def new_seed() -> str:
    return secrets.token_hex(16)


def code_from_seed(seed: str) -> str:
    digest = int.from_bytes(_hmac("voting-code", seed), "big")
    chars = []
    for _ in range(CODE_LENGTH):
        digest, index = divmod(digest, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def normalise(code: str) -> str:
    """What the voter typed, without spaces or dashes, upper case."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return _hmac("voting-code-lookup", normalise(code)).hex()


def format_code(code: str) -> str:
    """Groups of four for reading on paper: ABCD-EFGH-JKMN."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def new_receipt() -> str:
    """A random receipt shown once to an online voter; stored only on the ballot."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return format_code(raw)
