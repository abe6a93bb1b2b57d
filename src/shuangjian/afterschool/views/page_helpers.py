"""What the after-school pages share: the clock, turning selector errors into 404/403, and a date parameter."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.localtime()


def parse_day(raw: object, default: date) -> date:
    """A YYYY-MM-DD query parameter, or `default` when it is missing or malformed."""
    if not isinstance(raw, str):
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return default
