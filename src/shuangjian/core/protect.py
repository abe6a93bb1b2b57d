"""Protection of personal data: keyed hashes for lookup, masks for display, encryption for recovery.

Resident ID numbers and phone numbers of minors and their families are never stored in clear. Each is
kept as three values: a keyed hash (for uniqueness and lookup), a mask (for display), and an AES-GCM
ciphertext (for the few processes that need the value back).
"""

import base64
import hashlib
import hmac
import logging
import os
import re
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_NONCE_BYTES = 12


@cache
def _keys(field_key: str) -> tuple[bytes, bytes]:
    hash_key = hashlib.sha256(b"shuangjian-hash:" + field_key.encode()).digest()
    enc_key = hashlib.sha256(b"shuangjian-enc:" + field_key.encode()).digest()
    return hash_key, enc_key


def _current_keys() -> tuple[bytes, bytes]:
    return _keys(str(settings.FIELD_KEY))


@dataclass(frozen=True, slots=True)
class Protected:
    digest: str
    masked: str
    cipher: str


def keyed_hash(value: str) -> str:
    hash_key, _ = _current_keys()
    return hmac.new(hash_key, value.encode(), hashlib.sha256).hexdigest()


def mask(value: str, keep_start: int, keep_end: int) -> str:
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end :]


def mask_resident_id(value: str) -> str:
    """4114**********1234: the first four and last four characters stay."""
    return mask(value, 4, 4)


def mask_student_number(value: str) -> str:
    """G4114**********1234: the letter, the region digits and the last four stay (as `redact` does)."""
    return mask(value, 5, 4)


def mask_phone(value: str) -> str:
    """138****5678."""
    return mask(value, 3, 4)


def encrypt(value: str) -> str:
    _, enc_key = _current_keys()
    nonce = os.urandom(_NONCE_BYTES)
    return base64.b64encode(nonce + AESGCM(enc_key).encrypt(nonce, value.encode(), None)).decode()


def decrypt(token: str) -> str:
    _, enc_key = _current_keys()
    raw = base64.b64decode(token)
    return AESGCM(enc_key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None).decode()


def protect_resident_id(value: str) -> Protected:
    return Protected(keyed_hash(value), mask_resident_id(value), encrypt(value))


def protect_phone(value: str) -> Protected:
    return Protected(keyed_hash(value), mask_phone(value), encrypt(value))


_RESIDENT_ID_RE = re.compile(r"(?<![0-9A-Za-z])([GJL]?)(\d{4})(\d{10})(\d{3}[\dXx])(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(1\d{2})(\d{4})(\d{4})(?!\d)")


def redact(text: str) -> str:
    """Mask anything in free text that looks like a resident ID, student number or mobile number."""
    text = _RESIDENT_ID_RE.sub(lambda m: m.group(1) + m.group(2) + "*" * 10 + m.group(4)[-4:], text)
    return _PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


class MaskPersonalDataFilter(logging.Filter):
    """Logging filter: no resident ID or phone number reaches a log unmasked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
