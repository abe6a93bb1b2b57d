"""A warning notice's path: issued by the scoring, appealed by the institution's operator within the period, upheld
or withdrawn by the bureau; refusals carry their codes and change nothing; each side sees only what it may."""

from datetime import timedelta

import pytest
import time_machine

from shuangjian.core.errors import AccessDenied, DomainError, NotFound
from shuangjian.supervision import selectors
from shuangjian.supervision.models import RiskWarning, WarningEvent
from shuangjian.supervision.services.scoring import risk_score_region
from shuangjian.supervision.services.warnings import warning_appeal, warning_decide
from shuangjian.supervision.tests.builders import complain, yellow_warning
from shuangjian.supervision.tests.conftest import TODAY
from shuangjian.training.tests.conftest import TrainingWorld


def _state(warning: RiskWarning) -> tuple[str, str, str, int]:
    fresh = RiskWarning.objects.get(pk=warning.pk)
    return fresh.status, fresh.appeal_text, fresh.decision_reason, WarningEvent.objects.filter(warning=fresh).count()


def test_appeal_then_withdrawal_is_recorded_step_by_step(sv: TrainingWorld) -> None:
    # given
    warning = yellow_warning(sv, TODAY)
    # when
    warning_appeal(actor=sv.operator, warning_id=warning.pk, text="两件投诉为同一家长重复反映，已全额退费。")
    decided = warning_decide(
        actor=sv.county_bureau, warning_id=warning.pk, decision="withdraw", reason="经核实投诉已办结，撤销预警。"
    )
    # then
    assert decided.status == "withdrawn"
    events = list(WarningEvent.objects.filter(warning=warning).order_by("pk").values_list("kind", "actor", "text"))
    assert events == [
        ("issued", None, ""),
        ("appealed", sv.operator.pk, "两件投诉为同一家长重复反映，已全额退费。"),
        ("withdrawn", sv.county_bureau.pk, "经核实投诉已办结，撤销预警。"),
    ]


def test_the_city_bureau_may_uphold(sv: TrainingWorld) -> None:
    warning = yellow_warning(sv, TODAY)
    warning_appeal(actor=sv.operator, warning_id=warning.pk, text="不认可。")
    decided = warning_decide(actor=sv.city_bureau, warning_id=warning.pk, decision="uphold", reason="投诉属实。")
    assert (decided.status, decided.decision_reason) == ("upheld", "投诉属实。")


@pytest.mark.parametrize(
    ("_case", "who", "error"),
    [("another institution's operator", "other_operator", NotFound),
     ("the other county's bureau", "other_county_bureau", NotFound),
     ("a bureau", "county_bureau", AccessDenied), ("an inspector", "inspector", AccessDenied)],
)  # fmt: skip
def test_only_the_institutions_operator_appeals(sv: TrainingWorld, _case: str, who: str, error: type) -> None:
    warning = yellow_warning(sv, TODAY)
    before = _state(warning)
    with pytest.raises(error):
        warning_appeal(actor=getattr(sv, who), warning_id=warning.pk, text="申诉")
    assert _state(warning) == before


@pytest.mark.parametrize(
    ("_case", "who", "error"),
    [("the operator", "operator", AccessDenied), ("an inspector", "inspector", AccessDenied),
     ("the other county's bureau", "other_county_bureau", NotFound)],
)  # fmt: skip
def test_only_the_bureau_decides(sv: TrainingWorld, _case: str, who: str, error: type) -> None:
    warning = yellow_warning(sv, TODAY)
    warning_appeal(actor=sv.operator, warning_id=warning.pk, text="申诉")
    before = _state(warning)
    with pytest.raises(error):
        warning_decide(actor=getattr(sv, who), warning_id=warning.pk, decision="withdraw", reason="撤销")
    assert _state(warning) == before


def _code(call: object) -> str:
    with pytest.raises(DomainError) as caught:
        call()  # type: ignore[operator]
    return caught.value.code


def test_refusals_carry_codes_and_change_nothing(sv: TrainingWorld) -> None:
    warning = yellow_warning(sv, TODAY)
    before = _state(warning)
    pk = warning.pk
    assert _code(lambda: warning_appeal(actor=sv.operator, warning_id=pk, text="  ")) == "supervision.text_required"
    assert _code(lambda: warning_appeal(actor=sv.operator, warning_id=pk, text="长" * 2001)) == (
        "supervision.text_required"
    )
    assert _code(lambda: warning_decide(actor=sv.county_bureau, warning_id=pk, decision="uphold", reason="维持")) == (
        "supervision.transition_not_allowed"
    )
    assert _code(lambda: warning_decide(actor=sv.county_bureau, warning_id=pk, decision="delete", reason="x")) == (
        "supervision.bad_decision"
    )
    assert _state(warning) == before
    warning_appeal(actor=sv.operator, warning_id=pk, text="申诉")
    assert _code(lambda: warning_appeal(actor=sv.operator, warning_id=pk, text="再次申诉")) == (
        "supervision.transition_not_allowed"
    )
    assert _code(lambda: warning_decide(actor=sv.county_bureau, warning_id=pk, decision="uphold", reason=" ")) == (
        "supervision.text_required"
    )
    assert _state(warning)[0] == "appealed"


def test_no_appeal_after_the_deadline(sv: TrainingWorld, clock: time_machine.Traveller) -> None:
    # given: issued today, the period is 10 days
    warning = yellow_warning(sv, TODAY)
    before = _state(warning)
    # when: the day after the deadline
    clock.shift(timedelta(days=11))
    with pytest.raises(DomainError) as caught:
        warning_appeal(actor=sv.operator, warning_id=warning.pk, text="逾期申诉")
    # then
    assert caught.value.code == "supervision.appeal_deadline_passed"
    assert caught.value.details == {"deadline": "2026-09-17"}
    assert _state(warning) == before


def test_on_the_deadline_day_the_appeal_is_accepted(sv: TrainingWorld, clock: time_machine.Traveller) -> None:
    warning = yellow_warning(sv, TODAY)
    clock.shift(timedelta(days=10))
    assert warning_appeal(actor=sv.operator, warning_id=warning.pk, text="按期申诉").status == "appealed"


def test_operators_see_only_their_own_warnings(sv: TrainingWorld) -> None:
    # given: both institutions warned
    complain(sv.institution, 2)
    complain(sv.other_institution, 2)
    risk_score_region(region=sv.city, on=TODAY)
    own, other = (RiskWarning.objects.get(institution=i) for i in (sv.institution, sv.other_institution))
    # then
    assert list(selectors.warning_list(actor=sv.operator)) == [own]
    assert list(selectors.warning_list(actor=sv.other_operator)) == [other]
    with pytest.raises(NotFound):
        selectors.warning_get(actor=sv.operator, warning_id=other.pk)
    assert [s.institution_id for s in selectors.score_list(actor=sv.operator)] == [sv.institution.pk]
    assert set(selectors.warning_list(actor=sv.city_bureau)) == {own, other}
    assert list(selectors.warning_list(actor=sv.inspector)) == [own]  # the inspector of 梁园区
    assert list(selectors.warning_list(actor=sv.other_county_bureau)) == [other]
