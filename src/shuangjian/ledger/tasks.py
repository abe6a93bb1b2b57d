"""Background work of the ledger (Django's task framework): the daily automatic confirmation of held lessons and
the daily payout of released money to the institutions."""

from typing import Any

from django.tasks import task

from shuangjian.ledger.services.auto_confirm import holds_auto_confirm
from shuangjian.ledger.services.payouts import payouts_run


@task
def auto_confirm(region_code: str | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Release the holds due in a region (or everywhere); returns what was done as plain data."""
    result = holds_auto_confirm(region_code=region_code, dry_run=dry_run)
    return {
        "due": result.due,
        "released": result.released,
        "replayed": result.replayed,
        "refused": dict(result.refused),
        "counties_without_days": list(result.counties_without_days),
    }


@task
def payout(region_code: str | None = None, dry_run: bool = False) -> dict[str, Any]:
    """Pay out the released money of a region's institutions (or everywhere's); returns what was done."""
    result = payouts_run(region_code=region_code, dry_run=dry_run)
    return {
        "paid": result.paid,
        "paid_fen": result.paid_fen,
        "replayed": result.replayed,
        "refused": dict(result.refused),
    }
