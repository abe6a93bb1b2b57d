"""Pure inspection rules (no Django): the state machines of orders to rectify and of unlicensed-training cases,
what a complete checklist is, how many inspectors an inspection needs, the deadline of an order, and a campaign's
progress per county.

Policy numbers (the minimum number of inspectors, the days given to rectify) arrive as arguments read from the
policy profile by the services; None means the region has set no value.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

MAX_CAMPAIGN_DAYS = 400  # input sanity: a campaign longer than about a year is a typing mistake
MAX_TARGET_INSPECTIONS = 10_000
MAX_DEADLINE_DAYS = 365


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    params: dict[str, object] = field(default_factory=dict)


class OrderAction(StrEnum):
    REPORT = "report"  # the operator reports what it rectified
    CONFIRM = "confirm"  # a follow-up inspection finds it rectified
    ESCALATE = "escalate"  # a follow-up finds it not rectified (or the operator never reported): recommend a sanction


# action -> (the statuses it may start from, the status it leaves). Confirmed and escalated are final.
ORDER_TRANSITIONS: Mapping[OrderAction, tuple[frozenset[str], str]] = {
    OrderAction.REPORT: (frozenset({"issued"}), "reported"),
    OrderAction.CONFIRM: (frozenset({"reported"}), "confirmed"),
    OrderAction.ESCALATE: (frozenset({"issued", "reported"}), "escalated"),
}
OPEN_ORDER_STATUSES = frozenset({"issued", "reported"})


class CaseAction(StrEnum):
    VERIFY = "verify"  # confirmed: training runs there without a licence
    DISMISS = "dismiss"  # nothing found
    ORDER_CLOSURE = "order_closure"  # 责令停止办学
    CLOSE = "close"  # found closed
    RECHECK_CLOSED = "recheck_closed"  # a re-check finds it still closed
    RECHECK_REOPENED = "recheck_reopened"  # a re-check finds it running again: back to verified


CASE_TRANSITIONS: Mapping[CaseAction, tuple[frozenset[str], str]] = {
    CaseAction.VERIFY: (frozenset({"reported"}), "verified"),
    CaseAction.DISMISS: (frozenset({"reported"}), "dismissed"),
    CaseAction.ORDER_CLOSURE: (frozenset({"verified"}), "closure_ordered"),
    CaseAction.CLOSE: (frozenset({"verified", "closure_ordered"}), "closed"),
    CaseAction.RECHECK_CLOSED: (frozenset({"closed"}), "closed"),
    CaseAction.RECHECK_REOPENED: (frozenset({"closed"}), "verified"),
}


def order_next_status(current: str, action: OrderAction) -> str | Refusal:
    """The status `action` leads an order to from `current`, or the refusal."""
    allowed_from, to_status = ORDER_TRANSITIONS[action]
    if current not in allowed_from:
        return Refusal("inspection.transition_not_allowed", {"action": action.value, "status": current})
    return to_status


def case_next_status(current: str, action: CaseAction) -> str | Refusal:
    allowed_from, to_status = CASE_TRANSITIONS[action]
    if current not in allowed_from:
        return Refusal("inspection.transition_not_allowed", {"action": action.value, "status": current})
    return to_status


def inspectors_refusal(count: int, minimum: int | None) -> Refusal | None:
    """Field inspections are made by at least `minimum` inspectors (执法人员不少于两人 where the region requires it)."""
    if minimum is not None and count < minimum:
        return Refusal("inspection.too_few_inspectors", {"count": count, "min": minimum})
    return None


def checklist_refusal(expected: Iterable[int], results: Mapping[int, str]) -> Refusal | None:
    """Every active item of the checklist gets exactly one result, and nothing else does."""
    wanted = set(expected)
    given = set(results)
    if given - wanted:
        return Refusal("inspection.unknown_item", {"count": len(given - wanted)})
    if wanted - given:
        return Refusal("inspection.checklist_incomplete", {"count": len(wanted - given)})
    bad = [result for result in results.values() if result not in ("pass", "fail", "not_applicable")]
    if bad:
        return Refusal("inspection.invalid_result", {"value": bad[0]})
    return None


def order_deadline(issued_on: date, rectify_days: int | None, requested: date | None) -> date | Refusal:
    """The deadline of an order: the one asked for, else `rectify_days` after issue. A deadline is not before the
    day of issue, and not later than the region's `rectify_days` allows."""
    if requested is None:
        if rectify_days is None:
            return Refusal("inspection.deadline_required", {})
        return issued_on + timedelta(days=rectify_days)
    latest = issued_on + timedelta(days=rectify_days if rectify_days is not None else MAX_DEADLINE_DAYS)
    if requested < issued_on or requested > latest:
        return Refusal("inspection.bad_deadline", {"deadline": requested.isoformat(), "latest": latest.isoformat()})
    return requested


def is_overdue(status: str, deadline: date, today: date) -> bool:
    """An issued order past its deadline without a report (a reported one waits for its follow-up)."""
    return status == "issued" and today > deadline


def campaign_refusal(starts_on: date, ends_on: date, target_inspections: int, kinds: Sequence[str]) -> Refusal | None:
    if ends_on < starts_on or (ends_on - starts_on).days > MAX_CAMPAIGN_DAYS:
        return Refusal("inspection.bad_period", {"max": MAX_CAMPAIGN_DAYS})
    if not 1 <= target_inspections <= MAX_TARGET_INSPECTIONS:
        return Refusal("inspection.bad_target", {"max": MAX_TARGET_INSPECTIONS})
    if not kinds or len(set(kinds)) != len(kinds):
        return Refusal("inspection.targets_required", {})
    return None


def campaign_change_refusal(
    starts_on: date, ends_on: date, new_starts_on: date, new_ends_on: date, today: date
) -> Refusal | None:
    """A campaign is corrected while planned or running: once started its start date stays, no date moves into the
    past (ending early is `campaign_close_refusal`'s business), and an ended campaign is a record."""
    phase = campaign_phase(starts_on, ends_on, today)
    if phase == "ended":
        return Refusal("inspection.campaign_ended", {"date": ends_on.isoformat()})
    if phase == "active" and new_starts_on != starts_on:
        return Refusal("inspection.campaign_started", {"date": starts_on.isoformat()})
    if new_ends_on < today or (phase == "planned" and new_starts_on < today):
        return Refusal("inspection.date_in_past", {})
    return None


def campaign_close_refusal(starts_on: date, ends_on: date, today: date) -> Refusal | None:
    """Only a running campaign is ended early (today becomes its last day)."""
    phase = campaign_phase(starts_on, ends_on, today)
    if phase == "ended":
        return Refusal("inspection.campaign_ended", {"date": ends_on.isoformat()})
    if phase == "planned":
        return Refusal("inspection.campaign_not_started", {"date": starts_on.isoformat()})
    return None


def campaign_phase(starts_on: date, ends_on: date, today: date) -> str:
    """planned, active or ended: a campaign's status follows from its period."""
    if today < starts_on:
        return "planned"
    if today > ends_on:
        return "ended"
    return "active"


@dataclass(frozen=True, slots=True)
class CountyProgress:
    county_code: str
    county_name: str
    target: int
    inspections: int
    failed_findings: int
    orders_open: int
    orders_closed: int

    @property
    def percent(self) -> int:
        """Inspections done as a whole percentage of the target, capped at 100 for the bar."""
        return min(100, self.inspections * 100 // self.target) if self.target else 0


def campaign_progress(
    counties: Sequence[tuple[str, str]],
    target: int,
    inspections: Mapping[str, int],
    failed_findings: Mapping[str, int],
    orders: Mapping[tuple[str, str], int],
) -> list[CountyProgress]:
    """Per county (code, name), in the given order: inspections done against the target, failed findings, and
    orders still open (issued or reported) or closed (confirmed or escalated). `orders` is keyed (county, status)."""
    rows = []
    for code, name in counties:
        open_orders = sum(
            n for (county, status), n in orders.items() if county == code and status in OPEN_ORDER_STATUSES
        )
        closed = sum(
            n for (county, status), n in orders.items() if county == code and status not in OPEN_ORDER_STATUSES
        )
        rows.append(
            CountyProgress(
                code, name, target, inspections.get(code, 0), failed_findings.get(code, 0), open_orders, closed
            )
        )
    return rows
