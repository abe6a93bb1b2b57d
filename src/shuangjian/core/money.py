"""Money in integer fen (分), shown as yuan: the one formatting every page, message and export uses, and the one
conversion of a yuan amount a form parsed. Pure Python."""

from decimal import Decimal


def yuan(fen: int, *, grouped: bool = False) -> str:
    """Integer fen as yuan with two decimals, exact (no float): 123456 -> "1234.56", or "1,234.56" when grouped;
    -5 -> "-0.05"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}" if grouped else f"{sign}{whole}.{cents:02d}"


def fen(yuan: Decimal) -> int:
    """A yuan amount a form parsed (at most two decimals) as integer fen, exactly: Decimal("45.5") -> 4550."""
    return int(yuan.scaleb(2))
