"""National identifiers, validated with python-stdnum (never hand-rolled checksums).

- Resident ID numbers, GB 11643 (stdnum.cn.ric): checksum, birth date and place of registration.
- Unified social credit codes, GB 32100 (stdnum.cn.uscc).
- National student numbers (学籍号, POLICY.md X2): G + resident ID, J + ID-shaped number, L + temporary.
"""

import re
from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError


class IdentifierError(ValueError):
    """An identifier failed validation; `code` is the machine code (core.errors.CoreError)."""

    def __init__(self, code: str, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class ResidentId:
    number: str
    birth_date: date
    gender: str  # "M" or "F": the 17th digit is odd for men, even for women


def parse_resident_id(value: str) -> ResidentId:
    try:
        number = ric.validate(value.strip().upper())
    except ValidationError as exc:
        raise IdentifierError("core.invalid_resident_id", str(exc)) from exc
    return ResidentId(number, ric.get_birth_date(number), "M" if int(number[16]) % 2 else "F")


def make_resident_id(region_code: str, birth: date, sequence: int) -> str:
    """A valid resident ID (for demo data): the check digit is computed by stdnum."""
    body = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def validate_credit_code(value: str) -> str:
    try:
        return str(uscc.validate(value.strip().upper()))
    except ValidationError as exc:
        raise IdentifierError("core.invalid_credit_code", str(exc)) from exc


_STUDENT_NUMBER_RE = re.compile(r"^[GJL]\d{17}[\dX]$")


def validate_student_number(value: str) -> str:
    """G numbers must carry a valid resident ID; J numbers follow ID rules; L numbers end in 4 random digits."""
    number = value.strip().upper()
    if not _STUDENT_NUMBER_RE.match(number):
        raise IdentifierError("core.invalid_student_number", "expected G, J or L followed by 18 characters")
    if number[0] in "GJ":
        try:
            ric.validate(number[1:])
        except ValidationError as exc:
            raise IdentifierError("core.invalid_student_number", str(exc)) from exc
    return number


_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def validate_phone(value: str) -> str:
    phone = re.sub(r"[\s-]", "", value)
    if not _PHONE_RE.match(phone):
        raise IdentifierError("core.invalid_phone", "expected an 11-digit mainland mobile number")
    return phone
