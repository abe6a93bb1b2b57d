"""Automatic confirmation (issue 6, item 2): a delivered lesson the guardian neither confirmed nor disputed within
the days the institution's county sets (`escrow.auto_confirm_days`, [LOCAL]) is released to the institution by the
same posting as a guardian's confirmation. The idempotency key is derived from the hold, so a rerun, or two runs
at once, release each hold at most once; a disputed hold is never released automatically (docs/adr/0010)."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from shuangjian.ledger import rules
from shuangjian.ledger.models import Hold, HoldStatus
from shuangjian.ledger.selectors import pending_holds_by_county
from shuangjian.ledger.services import posting
from shuangjian.ledger.services.lessons import HeldLesson, release_command
from shuangjian.policy.selectors import effective_profile

AUTO_MEMO = "自动确认"  # stored on the transfer, like the course title on a purchase


def auto_confirm_key(hold_id: int) -> str:
    return f"auto-confirm-hold-{hold_id}"


@dataclass(slots=True)
class AutoConfirmResult:
    """What a run did: holds due, released now, already released by an earlier run (replayed), refused (the
    institution frozen, or the guardian acted meanwhile: code -> count), and the counties without a number."""

    due: int = 0
    released: int = 0
    replayed: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    counties_without_days: list[str] = field(default_factory=list)


def _release(hold: Hold, result: AutoConfirmResult) -> None:
    key = auto_confirm_key(hold.pk)
    digest = rules.request_digest("auto_confirm", hold=hold.pk)
    command = release_command(HeldLesson.of(hold), key, digest, None, (HoldStatus.PENDING,), AUTO_MEMO)
    outcome = posting.post_counting_refusals(command, result.refused)
    if outcome is None:
        return
    if outcome.replayed:
        result.replayed += 1
    else:
        result.released += 1


def holds_auto_confirm(
    *, region_code: str | None = None, dry_run: bool = False, today: date | None = None
) -> AutoConfirmResult:
    """Release every pending hold that is due in the region (or everywhere). A system job: no actor, scoped by
    region. Each release is its own atomic posting: one refusal does not stop the others."""
    today = today or timezone.localdate()
    result = AutoConfirmResult()
    for county, holds in pending_holds_by_county(region_code).items():
        days = rules.auto_confirm_days(effective_profile(county, today))
        if days is None:
            result.counties_without_days.append(county.code)
            continue
        for hold in holds:
            if not rules.auto_confirm_due(timezone.localdate(hold.created_at), today, days):
                continue
            result.due += 1
            if not dry_run:
                _release(hold, result)
    return result
