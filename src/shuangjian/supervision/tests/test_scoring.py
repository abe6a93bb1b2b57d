"""The nightly scoring: levels from the region's profile, one row per institution and day, a notice when the level
rises (once), set-based queries, the command and the task."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuangjian.supervision import tasks
from shuangjian.supervision.models import RiskLevel, RiskScore, RiskWarning, WarningEvent, WarningEventKind
from shuangjian.supervision.services.scoring import risk_score_region
from shuangjian.supervision.tests.builders import complain, suspend
from shuangjian.supervision.tests.conftest import TODAY
from shuangjian.training.tests import builders as training_builders
from shuangjian.training.tests.conftest import TrainingWorld


def _levels(on: date) -> dict[str, int]:
    return dict(RiskScore.objects.filter(on=on).values_list("institution__name", "level"))


def test_scores_every_institution_and_warns_the_risky_one(sv: TrainingWorld) -> None:
    # given
    complain(sv.institution, 2)
    # when
    result = risk_score_region(region=sv.city, on=TODAY)
    # then
    assert result.scored == 2
    assert _levels(TODAY) == {sv.institution.name: RiskLevel.YELLOW, sv.other_institution.name: RiskLevel.NONE}
    score = RiskScore.objects.get(institution=sv.institution, on=TODAY)
    assert score.score == 15
    assert score.reasons == [{"signal": "complaints", "value": 2, "threshold": 2, "points": 15}]
    warning = RiskWarning.objects.get()
    assert (warning.institution_id, warning.level, warning.status) == (sv.institution.pk, RiskLevel.YELLOW, "issued")
    assert warning.appeal_deadline == TODAY + timedelta(days=10)
    event = WarningEvent.objects.get()
    assert (event.warning_id, event.kind, event.actor_id) == (warning.pk, WarningEventKind.ISSUED, None)
    assert result.notices == (sv.institution.pk,)


def test_scoring_the_same_day_again_replaces_the_scores_and_warns_once(sv: TrainingWorld) -> None:
    # given
    complain(sv.institution, 2)
    risk_score_region(region=sv.city, on=TODAY)
    # when
    again = risk_score_region(region=sv.city, on=TODAY)
    # then
    assert RiskScore.objects.count() == 2
    assert RiskWarning.objects.count() == 1
    assert WarningEvent.objects.count() == 1
    assert again.notices == ()


def test_a_new_notice_only_when_the_level_rises(sv: TrainingWorld) -> None:
    # given: yellow on day one
    complain(sv.institution, 2)
    risk_score_region(region=sv.city, on=TODAY)
    # when: still yellow the next day, red the day after (suspended: + 30 points)
    steady = risk_score_region(region=sv.city, on=TODAY + timedelta(days=1))
    suspend(sv.county_bureau, sv.institution)
    rising = risk_score_region(region=sv.city, on=TODAY + timedelta(days=2))
    # then
    assert steady.notices == ()
    assert rising.notices == (sv.institution.pk,)
    assert list(RiskWarning.objects.order_by("issued_on").values_list("level", flat=True)) == [
        RiskLevel.YELLOW,
        RiskLevel.RED,
    ]


def test_a_county_is_scored_alone(sv: TrainingWorld) -> None:
    complain(sv.other_institution, 2)
    result = risk_score_region(region=sv.liangyuan, on=TODAY)
    assert result.scored == 1
    assert _levels(TODAY) == {sv.institution.name: RiskLevel.NONE}
    assert not RiskWarning.objects.exists()


def test_dry_run_writes_nothing(sv: TrainingWorld) -> None:
    complain(sv.institution, 2)
    result = risk_score_region(region=sv.city, on=TODAY, dry_run=True)
    assert result.levels == {RiskLevel.YELLOW: 1, RiskLevel.NONE: 1}
    assert (RiskScore.objects.count(), RiskWarning.objects.count()) == (0, 0)


def test_queries_do_not_grow_with_the_institutions(sv: TrainingWorld) -> None:
    # given: a first day scored (profiles cached, earlier scores on file), then 启明 rises and gets a notice
    risk_score_region(region=sv.city, on=TODAY)
    complain(sv.institution, 2)
    with CaptureQueriesContext(connection) as few:
        first = risk_score_region(region=sv.city, on=TODAY + timedelta(days=1))
    assert first.notices == (sv.institution.pk,)
    for n in range(4):
        code = training_builders.credit_code(f"52411402MJY30000{n}")
        extra = training_builders.approved(sv.county_bureau, code, sv.liangyuan, name=f"梁园区新苗培训学校{n}")
        complain(extra, 2)
    # when
    with CaptureQueriesContext(connection) as many:
        result = risk_score_region(region=sv.city, on=TODAY + timedelta(days=2))
    # then
    assert result.scored == 6
    assert len(result.notices) == 4
    assert len(many.captured_queries) == len(few.captured_queries)


def test_command_and_task(sv: TrainingWorld) -> None:
    complain(sv.institution, 2)
    out = StringIO()
    call_command("supervision_score", "--region", sv.city.code, "--date", TODAY.isoformat(), "--dry-run", stdout=out)
    assert "评分机构 2 家" in out.getvalue()
    assert "试运行" in out.getvalue()
    assert not RiskScore.objects.exists()
    result = tasks.risk_score.enqueue(sv.city.code, TODAY.isoformat())
    assert result.return_value == {
        "region": sv.city.code,
        "on": TODAY.isoformat(),
        "scored": 2,
        "levels": {"0": 1, "2": 1},
        "notices": 1,
    }


def test_unknown_region_is_a_command_error(sv: TrainingWorld) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="999999"):
        call_command("supervision_score", "--region", "999999", stdout=StringIO())
