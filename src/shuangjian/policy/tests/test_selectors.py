"""Reading the effective profile: the national row from the data migration, local layers by date, the cache."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuangjian.core.errors import NotFound
from shuangjian.core.rules import DayKind
from shuangjian.core.tests import factories as f
from shuangjian.policy import datafiles, rules, selectors
from shuangjian.policy.models import PolicyProfile
from shuangjian.policy.tests.factories import publish

pytestmark = pytest.mark.django_db

G3_6 = "homework.written_daily_max_minutes.g3_6"
G7_9 = "homework.written_daily_max_minutes.g7_9"


def test_the_data_migration_loaded_the_national_default() -> None:
    # when
    rows = list(PolicyProfile.objects.filter(region__isnull=True))
    # then
    entry = datafiles.read_national()[0]
    assert [(r.version, r.effective_from, r.created_by_id) for r in rows] == [(1, date(2021, 7, 24), None)]
    assert rows[0].values == entry.values
    assert rows[0].sources == entry.sources


def test_national_profile() -> None:
    # when
    snapshot = selectors.effective_profile(None, date(2025, 9, 1))
    # then
    assert snapshot.region_code is None
    assert snapshot.versions == ((None, 1),)
    assert rules.homework_cap_minutes(snapshot, 4, DayKind.SCHOOL_DAY) == 60


def test_before_the_national_default_no_limit_is_in_force() -> None:
    snapshot = selectors.effective_profile(None, date(2021, 7, 23))
    assert snapshot.layers == ()
    assert rules.homework_cap_minutes(snapshot, 4, DayKind.SCHOOL_DAY) is None


def test_layers_apply_national_province_city_county() -> None:
    # given
    province, city, liangyuan, minquan = f.regions()
    publish(province, {G3_6: 55}, date(2025, 9, 1))
    publish(city, {G3_6: 50, "afterschool.earliest_end": "17:30"}, date(2025, 9, 1))
    publish(liangyuan, {G7_9: 80}, date(2025, 9, 1))
    # when
    county = selectors.effective_profile(liangyuan, date(2025, 10, 1))
    sibling = selectors.effective_profile(minquan, date(2025, 10, 1))
    # then
    assert county.versions == ((None, 1), ("410000", 1), ("411400", 1), ("411402", 1))
    assert (county.get(G3_6), county.sources[G3_6].region_code) == (50, "411400")
    assert (county.get(G7_9), county.sources[G7_9].region_code) == (80, "411402")
    assert rules.afterschool_earliest_end(county) == time(17, 30)
    assert sibling.versions == ((None, 1), ("410000", 1), ("411400", 1))
    assert sibling.get(G7_9) == 90


def test_the_latest_version_effective_on_the_day_applies() -> None:
    # given
    _province, city, liangyuan, _minquan = f.regions()
    publish(city, {G3_6: 50}, date(2025, 9, 1))
    publish(city, {G3_6: 45}, date(2026, 2, 1))
    # when / then
    assert selectors.effective_profile(liangyuan, date(2025, 8, 31)).get(G3_6) == 60
    assert selectors.effective_profile(liangyuan, date(2025, 9, 1)).get(G3_6) == 50
    assert selectors.effective_profile(liangyuan, date(2026, 1, 31)).get(G3_6) == 50
    later = selectors.effective_profile(liangyuan, date(2026, 2, 1))
    assert later.get(G3_6) == 45
    assert later.versions == ((None, 1), ("411400", 2))


def test_a_later_parent_tightening_overrides_an_older_local_value() -> None:
    # given: the county chose 55 when the city allowed 60; the city later tightens to 50
    _province, city, liangyuan, _minquan = f.regions()
    publish(liangyuan, {G3_6: 55}, date(2025, 9, 1))
    publish(city, {G3_6: 50}, date(2026, 2, 1))
    # when
    snapshot = selectors.effective_profile(liangyuan, date(2026, 3, 1))
    # then
    assert snapshot.get(G3_6) == 50
    assert snapshot.sources[G3_6].region_code == "411400"


def test_school_profile_is_its_county_profile() -> None:
    # given
    _province, city, liangyuan, _minquan = f.regions()
    school = f.school(liangyuan)
    publish(city, {G3_6: 50}, date(2025, 9, 1))
    # when
    snapshot = selectors.effective_profile_for_school(school, date(2025, 9, 2))
    # then
    assert snapshot == selectors.effective_profile(liangyuan, date(2025, 9, 2))
    assert snapshot.region_code == "411402"
    assert snapshot.get(G3_6) == 50


def test_effective_profile_is_one_query_then_cached() -> None:
    # given
    _province, _city, _liangyuan, _minquan = f.regions()
    county = selectors.region_get("411402")  # parents loaded with it
    # when / then
    with CaptureQueriesContext(connection) as first:
        selectors.effective_profile(county, date(2025, 9, 1))
    with CaptureQueriesContext(connection) as second:
        selectors.effective_profile(county, date(2025, 9, 1))
    assert len(first.captured_queries) == 1
    assert len(second.captured_queries) == 0


def test_publish_invalidates_the_cache() -> None:
    # given
    _province, city, liangyuan, _minquan = f.regions()
    assert selectors.effective_profile(liangyuan, date(2025, 9, 1)).get(G3_6) == 60
    # when
    publish(city, {G3_6: 50}, date(2025, 9, 1))
    # then
    assert selectors.effective_profile(liangyuan, date(2025, 9, 1)).get(G3_6) == 50


def test_profile_history_newest_first() -> None:
    # given
    _province, city, _liangyuan, _minquan = f.regions()
    publish(city, {G3_6: 50}, date(2025, 9, 1), note="第一版")
    publish(city, {G3_6: 45}, date(2026, 2, 1), note="第二版")
    # when
    history = list(selectors.profile_history(city))
    # then
    assert [(p.version, p.effective_from, p.note) for p in history] == [
        (2, date(2026, 2, 1), "第二版"),
        (1, date(2025, 9, 1), "第一版"),
    ]
    assert [p.version for p in selectors.profile_history(None)] == [1]


def test_region_get_unknown_code_is_not_found() -> None:
    with pytest.raises(NotFound) as raised:
        selectors.region_get("999999")
    assert raised.value.code == "core.not_found"


def test_effective_profile_out_names_the_source_of_each_value() -> None:
    # given
    _province, city, _liangyuan, _minquan = f.regions()
    publish(city, {G3_6: 50}, date(2025, 9, 1))
    # when
    out = selectors.effective_profile_out(region_code="411402", on=date(2025, 9, 1))
    # then
    by_key = {item.key: item for item in out.values}
    assert out.region == "411402"
    assert [(layer.region, layer.version) for layer in out.layers] == [(None, 1), ("411400", 1)]
    assert (by_key[G3_6].value, by_key[G3_6].source.region) == (50, "411400")
    assert (by_key[G7_9].value, by_key[G7_9].source.region) == (90, None)
    assert by_key["training.online_latest_end"].value == "21:00"


def test_the_national_default_can_be_reloaded_after_a_flush() -> None:
    # given: what a transactional test's flush leaves behind
    PolicyProfile.objects.all().delete()
    # when
    created = datafiles.create_missing_national_versions(PolicyProfile)
    again = datafiles.create_missing_national_versions(PolicyProfile)
    # then
    assert (created, again) == (1, 0)
    assert selectors.effective_profile(None, date(2025, 9, 1), use_cache=False).get(G3_6) == 60
