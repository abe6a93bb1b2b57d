"""Small checks every after-school service uses: rule decisions, required text, choices."""

from collections.abc import Collection

from django.utils.functional import Promise

from shuangjian.afterschool import rules
from shuangjian.afterschool.errors import AfterschoolError, afterschool_error


def raise_unless(decision: rules.Decision, **extra: object) -> None:
    if not decision.ok:
        raise afterschool_error(decision.code, **decision.params, **extra)


def text(value: str, label: str | Promise, max_length: int, *, required: bool = True) -> str:
    """The stripped text, refused when required and empty or when longer than `max_length`."""
    clean = value.strip()
    if (required and not clean) or len(clean) > max_length:
        raise afterschool_error(AfterschoolError.TEXT_REQUIRED, field=label, max=max_length)
    return clean


def choice(value: str, allowed: Collection[str], label: str | Promise) -> str:
    if value not in allowed:
        raise afterschool_error(AfterschoolError.INVALID_CHOICE, field=label, value=value)
    return value
