"""profile_publish: who may publish, what is refused, and that a refusal saves nothing."""

from datetime import date
from typing import Any

import pytest

from shuangjian.core.errors import DomainError
from shuangjian.core.models import Region, Role
from shuangjian.core.tests import factories as f
from shuangjian.policy import datafiles, selectors, services
from shuangjian.policy.models import PolicyProfile
from shuangjian.policy.tests.factories import bureau, publish

pytestmark = pytest.mark.django_db

G3_6 = "homework.written_daily_max_minutes.g3_6"
DAY = date(2025, 9, 1)


@pytest.fixture
def regions() -> dict[str, Region]:
    province, city, liangyuan, minquan = f.regions()
    return {"province": province, "city": city, "liangyuan": liangyuan, "minquan": minquan}


def refused(actor: Any, region: Region, values: dict[str, object], effective_from: date = DAY) -> DomainError:
    before = list(PolicyProfile.objects.order_by("pk").values_list("pk", flat=True))
    with pytest.raises(DomainError) as raised:
        services.profile_publish(actor=actor, region=region, effective_from=effective_from, values=values)
    assert list(PolicyProfile.objects.order_by("pk").values_list("pk", flat=True)) == before
    return raised.value


def test_city_bureau_publishes_a_tightening(regions: dict[str, Region]) -> None:
    # given
    actor = bureau(regions["city"])
    # when
    profile = services.profile_publish(
        actor=actor,
        region=regions["city"],
        effective_from=DAY,
        values={G3_6: 50, "afterschool.earliest_end": "17:30"},
        note="  市教体局通知  ",
    )
    # then
    profile.refresh_from_db()
    assert (profile.region_id, profile.version, profile.effective_from) == ("411400", 1, DAY)
    assert profile.values == {G3_6: 50, "afterschool.earliest_end": "17:30"}
    assert (profile.note, profile.created_by_id, profile.sources) == ("市教体局通知", actor.pk, {})


def test_versions_count_up_per_region(regions: dict[str, Region]) -> None:
    first = publish(regions["city"], {G3_6: 50}, DAY)
    second = publish(regions["city"], {G3_6: 45}, date(2026, 2, 1))
    county = publish(regions["liangyuan"], {G3_6: 40}, DAY)
    assert (first.version, second.version, county.version) == (1, 2, 1)


@pytest.mark.parametrize(
    ("_case", "actor_region", "role", "target"),
    [
        ("city bureau for a county below it", "city", Role.BUREAU, "liangyuan"),
        ("province bureau for the city", "province", Role.BUREAU, "city"),
        ("county bureau for itself", "liangyuan", Role.BUREAU, "liangyuan"),
    ],
)
def test_a_bureau_publishes_for_its_region_and_below(
    regions: dict[str, Region], _case: str, actor_region: str, role: Role, target: str
) -> None:
    actor = f.user()
    f.assign(actor, role, region=regions[actor_region])
    profile = services.profile_publish(actor=actor, region=regions[target], effective_from=DAY, values={G3_6: 50})
    assert profile.region_id == regions[target].code


@pytest.mark.parametrize(
    ("_case", "actor_region", "role", "target"),
    [
        ("county bureau for its city", "liangyuan", Role.BUREAU, "city"),
        ("county bureau for a sibling county", "minquan", Role.BUREAU, "liangyuan"),
        ("inspector of the city", "city", Role.INSPECTOR, "city"),
    ],
)
def test_others_may_not_publish(
    regions: dict[str, Region], _case: str, actor_region: str, role: Role, target: str
) -> None:
    actor = f.user()
    f.assign(actor, role, region=regions[actor_region])
    error = refused(actor, regions[target], {G3_6: 50})
    assert (error.code, error.status) == ("core.forbidden", 403)


def test_school_leader_and_anonymous_may_not_publish(regions: dict[str, Region]) -> None:
    # given
    leader = f.user()
    f.assign(leader, Role.SCHOOL_LEADER, school=f.school(regions["liangyuan"]))
    # when / then
    assert refused(leader, regions["liangyuan"], {G3_6: 50}).code == "core.forbidden"
    assert refused(None, regions["liangyuan"], {G3_6: 50}).code == "core.forbidden"


def test_unknown_parameter_is_refused(regions: dict[str, Region]) -> None:
    error = refused(bureau(regions["city"]), regions["city"], {G3_6: 50, "homework.daily_fun": 10})
    assert error.code == "policy.unknown_parameter"
    assert error.details["unknown"] == ["homework.daily_fun"]
    assert "homework.daily_fun" in error.message


@pytest.mark.parametrize(
    ("_case", "values"),
    [
        ("text for minutes", {G3_6: "fifty"}),
        ("negative minutes", {G3_6: -5}),
        ("malformed time", {"afterschool.earliest_end": "5:30 pm"}),
        ("null", {G3_6: None}),
    ],
)
def test_badly_typed_value_is_refused(regions: dict[str, Region], _case: str, values: dict[str, object]) -> None:
    error = refused(bureau(regions["city"]), regions["city"], values)
    assert error.code == "policy.invalid_value"
    assert list(error.details["errors"]) == list(values)


def test_loosening_the_national_profile_is_refused_with_every_key(regions: dict[str, Region]) -> None:
    # when
    error = refused(
        bureau(regions["city"]),
        regions["city"],
        {G3_6: 61, "training.offline_latest_end": "21:00", "afterschool.min_minutes_per_day": 120},
    )
    # then
    assert error.code == "policy.loosens_national"
    assert error.details["violations"] == [
        {"key": G3_6, "direction": "max", "parent": 60, "proposed": 61},
        {"key": "training.offline_latest_end", "direction": "max", "parent": "20:30", "proposed": "21:00"},
    ]
    assert G3_6 in error.message and "training.offline_latest_end" in error.message


def test_a_county_may_not_loosen_its_city(regions: dict[str, Region]) -> None:
    # given
    publish(regions["city"], {G3_6: 50}, DAY)
    # when: 55 is tighter than the nation's 60, looser than the city's 50
    error = refused(bureau(regions["liangyuan"]), regions["liangyuan"], {G3_6: 55}, date(2025, 10, 1))
    # then
    assert error.code == "policy.loosens_national"
    assert error.details["violations"][0]["parent"] == 50


def test_the_parent_profile_of_the_effective_date_is_the_measure(regions: dict[str, Region]) -> None:
    # given: the city tightens to 50 only from 2026-02-01
    publish(regions["city"], {G3_6: 50}, date(2026, 2, 1))
    # when / then: 55 is allowed before that date, refused from it
    assert publish(regions["liangyuan"], {G3_6: 55}, DAY).version == 1
    assert refused(bureau(regions["liangyuan"]), regions["liangyuan"], {G3_6: 55}, date(2026, 2, 1)).code == (
        "policy.loosens_national"
    )


def test_changing_a_nationally_fixed_value_is_refused(regions: dict[str, Region]) -> None:
    error = refused(bureau(regions["city"]), regions["city"], {"training.standard_lesson_minutes.offline": 40})
    assert error.code == "policy.loosens_national"


def test_contradicting_values_are_refused(regions: dict[str, Region]) -> None:
    # each value tightens on its own (min 4 -> 5, max 5 -> 4), together they contradict
    error = refused(bureau(regions["city"]), regions["city"], {"exams.level_count_min": 5, "exams.level_count_max": 4})
    assert error.code == "policy.invalid_value"


def test_a_second_version_on_the_same_date_is_refused(regions: dict[str, Region]) -> None:
    publish(regions["city"], {G3_6: 50}, DAY)
    error = refused(bureau(regions["city"]), regions["city"], {G3_6: 45}, DAY)
    assert error.code == "policy.duplicate_effective_date"
    assert PolicyProfile.objects.get(region=regions["city"]).values == {G3_6: 50}


def test_the_shangqiu_example_publishes_through_the_service(regions: dict[str, Region]) -> None:
    # given
    example = datafiles.read_example("shangqiu")
    # when
    profile = services.profile_publish(
        actor=bureau(regions["city"]),
        region=selectors.region_get(str(example.region_code)),
        effective_from=example.effective_from,
        values=example.values,
        note=example.note,
    )
    # then
    snapshot = selectors.effective_profile(regions["minquan"], example.effective_from)
    assert profile.values == example.values
    assert snapshot.get("escrow.risk_margin_min_fen") == 50_000_000
