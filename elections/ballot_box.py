"""The online ballot box: sealed ballots, the key shared among the committee's key holders, and the opening.

Pure functions over bytes (no ORM), built only from kept libraries: HPKE (RFC 9180) from `cryptography`, suite
DHKEM(X25519, HKDF-SHA256) + HKDF-SHA256 + AES-128-GCM, for each ballot; AES-GCM from `cryptography` to wrap the
box's private key under a 16-byte wrap key; Shamir's secret sharing from pycryptodome
(`Crypto.Protocol.SecretSharing.Shamir`) to split that wrap key among the key holders, k of n.

- `key_create` makes the key pair when the committee holds the key ceremony: it returns the public key, the
  private key wrapped under a fresh wrap key, the n shares of the wrap key (to be shown once, never stored) and,
  per share, a check value (SHA-256 of the share, bound to this box) that is all the portal keeps to recognise a
  share later.
- `seal` encrypts a voter's choices in the cast request: a fixed-size plaintext (a blank ballot and a ballot of
  15 names have the same length), bound to the election by the HPKE `info`; `receipt_of` is the receipt shown to
  the voter: a hash of the sealed ballot, which proves that it is in the box and says nothing of its content.
- `open_box` takes k shares, rebuilds the wrap key, unwraps the private key, shuffles the sealed ballots and
  decrypts them in that random order: what comes out cannot be put back in the order of the box.

Python cannot promise that secrets leave memory: `bytes` are immutable and freed memory is not cleared. What can
be cleared is (the wrap key and the shares are copied into `bytearray`s and zeroed once used; the private key
object is dropped at once); docs/elections-secrecy.md says what remains.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from Crypto.Protocol.SecretSharing import Shamir
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .codes import ALPHABET, format_code

SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)
VERSION = 1
#: Bytes of every plaintext ballot: version, number of choices, then 8 bytes per candidate, zero-padded.
PLAINTEXT_SIZE = 128
MAX_CHOICES = (PLAINTEXT_SIZE - 2) // 8
WRAP_KEY_SIZE = 16  # what pycryptodome's Shamir shares
MAX_HOLDERS = 9
RECEIPT_LENGTH = 16
RAW = serialization.Encoding.Raw


class ShareError(ValueError):
    """A key share that cannot be read, or that does not belong to this box."""


@dataclass(frozen=True)
class KeyShare:
    index: int  # 1..n, printed on the holder's sheet
    value: bytes  # 16 bytes

    @property
    def text(self) -> str:
        """What the holder writes down and types back: the index, then the share in base32 by groups of four."""
        encoded = base64.b32encode(self.value).decode().rstrip("=")
        return f"{self.index}-" + "-".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


@dataclass(frozen=True)
class NewKey:
    public_key: bytes
    wrapped_private_key: bytes
    shares: list[KeyShare]
    checks: list[str]  # per share, in the order of `shares`


def context(election_id: int, public_key: bytes) -> bytes:
    """What binds a sealed ballot, a wrapped key and a share check to one box of one election."""
    return b"tenant-portal/ballot-box/v1/" + str(election_id).encode() + b"/" + public_key


def share_check(share: KeyShare, ctx: bytes) -> str:
    """A check value for one share: it recognises the share, and a 128-bit random share cannot be found from it."""
    return hashlib.sha256(b"key-share-check\x00" + ctx + bytes([share.index]) + share.value).hexdigest()


def key_create(*, election_id: int, threshold: int, holders: int) -> NewKey:
    if not 2 <= threshold <= holders <= MAX_HOLDERS:
        raise ValueError("A box needs 2 <= threshold <= holders <= 9.")
    private = X25519PrivateKey.generate()
    public_key = private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    ctx = context(election_id, public_key)
    wrap_key = bytearray(secrets.token_bytes(WRAP_KEY_SIZE))
    raw_private = private.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    nonce = secrets.token_bytes(12)
    wrapped = nonce + AESGCM(bytes(wrap_key)).encrypt(nonce, raw_private, ctx)
    shares = [
        KeyShare(index, bytes(value)) for index, value in Shamir.split(threshold, holders, bytes(wrap_key))
    ]
    _clear(wrap_key)
    del private, raw_private
    return NewKey(
        public_key=public_key,
        wrapped_private_key=wrapped,
        shares=shares,
        checks=[share_check(share, ctx) for share in shares],
    )


_CONFUSABLE = str.maketrans({"0": "O", "1": "I", "8": "B"})


def share_parse(text: str) -> KeyShare:
    """A share as typed from the sheet (or read from its QR code): spaces, dashes and case do not matter."""
    cleaned = re.sub(r"[\s\-_.]", "", (text or "").upper())
    if len(cleaned) < 2 or not cleaned[0].isdigit():
        raise ShareError("format")
    index, body = int(cleaned[0]), cleaned[1:].translate(_CONFUSABLE)
    if not 1 <= index <= MAX_HOLDERS or len(body) != 26 or not re.fullmatch(r"[A-Z2-7]+", body):
        raise ShareError("format")
    value = base64.b32decode(body + "======")
    return KeyShare(index, value)


def share_matches(share: KeyShare, check: str, ctx: bytes) -> bool:
    return hmac.compare_digest(share_check(share, ctx), check)


def _plaintext(choices: Sequence[int]) -> bytes:
    if len(choices) > MAX_CHOICES:
        raise ValueError("Too many choices for one ballot.")
    body = bytes([VERSION, len(choices)]) + b"".join(int(c).to_bytes(8, "big") for c in choices)
    return body.ljust(PLAINTEXT_SIZE, b"\x00")


def _choices(plaintext: bytes) -> list[int] | None:
    if len(plaintext) != PLAINTEXT_SIZE or plaintext[0] != VERSION or plaintext[1] > MAX_CHOICES:
        return None
    count = plaintext[1]
    if any(plaintext[2 + 8 * count :]):
        return None
    return [int.from_bytes(plaintext[2 + 8 * i : 10 + 8 * i], "big") for i in range(count)]


def seal(choices: Sequence[int], *, public_key: bytes, ctx: bytes) -> bytes:
    """One ballot, encrypted to the box: only the box's private key (k shares) opens it."""
    return SUITE.encrypt(_plaintext(choices), X25519PublicKey.from_public_bytes(public_key), info=ctx)


def receipt_of(sealed: bytes) -> str:
    """The voter's receipt: the first 80 bits of SHA-256 of their sealed ballot, as 16 letters by groups of four."""
    number = int.from_bytes(hashlib.sha256(sealed).digest()[:10], "big")
    letters = []
    for _ in range(RECEIPT_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[index])
    return format_code("".join(letters))


def private_key_from_shares(
    shares: Iterable[KeyShare], *, threshold: int, public_key: bytes, wrapped_private_key: bytes, ctx: bytes
) -> X25519PrivateKey:
    """Rebuild the wrap key from `threshold` checked shares and unwrap the private key (ShareError if they do not
    open this box). The caller drops the returned key as soon as the box is open."""
    chosen = list(shares)[:threshold]
    if len(chosen) < threshold:
        raise ShareError("too few")
    wrap_key = bytearray(Shamir.combine([(s.index, s.value) for s in chosen]))
    try:
        nonce, body = wrapped_private_key[:12], wrapped_private_key[12:]
        raw = AESGCM(bytes(wrap_key)).decrypt(nonce, body, ctx)
    except InvalidTag as error:
        raise ShareError("wrong key") from error
    finally:
        _clear(wrap_key)
    private = X25519PrivateKey.from_private_bytes(raw)
    del raw
    if private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw) != public_key:
        raise ShareError("wrong key")
    return private


def open_box(
    sealed_ballots: Sequence[bytes], *, private_key: X25519PrivateKey, ctx: bytes
) -> list[list[int] | None]:
    """Shuffle the sealed ballots, then decrypt them in that order. Returns each ballot's choices (None: a ballot
    that does not decrypt or is not a well-formed ballot, counted as void), in the shuffled order."""
    box = list(sealed_ballots)
    secrets.SystemRandom().shuffle(box)
    opened: list[list[int] | None] = []
    for sealed in box:
        try:
            opened.append(_choices(SUITE.decrypt(sealed, private_key, info=ctx)))
        except (InvalidTag, ValueError):
            opened.append(None)
    return opened


def _clear(buffer: bytearray) -> None:
    for i in range(len(buffer)):
        buffer[i] = 0
