"""/api/v1/policy: the effective profile with per-key sources, and the parameter catalogue."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from shuangjian.core.tests import factories as f
from shuangjian.policy import parameters
from shuangjian.policy.tests.factories import publish

pytestmark = pytest.mark.django_db

G3_6 = "homework.written_daily_max_minutes.g3_6"


@pytest.fixture
def signed_in(client: Client) -> Client:
    client.force_login(f.user())
    return client


def test_anonymous_is_unauthenticated(client: Client) -> None:
    response = client.get("/api/v1/policy/effective")
    assert response.status_code == 401
    assert response.json()["code"] == "core.unauthenticated"


def test_effective_national_profile(signed_in: Client) -> None:
    # when
    response = signed_in.get("/api/v1/policy/effective", {"on": "2025-09-01"})
    # then
    assert response.status_code == 200
    body = response.json()
    values = {item["key"]: item for item in body["values"]}
    assert (body["region"], body["on"]) == (None, "2025-09-01")
    assert body["layers"] == [{"region": None, "version": 1, "effective_from": "2021-07-24"}]
    assert values[G3_6] == {
        "key": G3_6,
        "value": 60,
        "source": {"region": None, "version": 1, "effective_from": "2021-07-24"},
    }
    assert values["training.academic_on_rest_days_allowed"]["value"] is False
    assert values["training.class_size_tier_upper_bounds"]["value"] == [9, 35]
    assert values["training.online_latest_end"]["value"] == "21:00"


def test_effective_county_profile_names_each_source(signed_in: Client) -> None:
    # given
    _province, city, _liangyuan, _minquan = f.regions()
    publish(city, {G3_6: 50, "afterschool.earliest_end": "17:30"}, date(2025, 9, 1))
    # when
    response = signed_in.get("/api/v1/policy/effective", {"region": "411402", "on": "2025-09-01"})
    # then
    assert response.status_code == 200
    body = response.json()
    values = {item["key"]: item for item in body["values"]}
    assert body["region"] == "411402"
    assert [layer["region"] for layer in body["layers"]] == [None, "411400"]
    assert (values[G3_6]["value"], values[G3_6]["source"]["region"]) == (50, "411400")
    assert (values["afterschool.earliest_end"]["value"], values["afterschool.earliest_end"]["source"]["region"]) == (
        "17:30",
        "411400",
    )
    assert values["homework.written_daily_max_minutes.g7_9"]["source"]["region"] is None


def test_effective_defaults_to_today(signed_in: Client) -> None:
    response = signed_in.get("/api/v1/policy/effective")
    assert response.status_code == 200
    assert response.json()["on"] == timezone.localdate().isoformat()


def test_unknown_region_is_not_found(signed_in: Client) -> None:
    response = signed_in.get("/api/v1/policy/effective", {"region": "999999"})
    assert response.status_code == 404
    assert response.json()["code"] == "core.not_found"


def test_malformed_date_is_invalid_input(signed_in: Client) -> None:
    response = signed_in.get("/api/v1/policy/effective", {"on": "2025-13-01"})
    assert response.status_code == 422
    assert response.json()["code"] == "core.invalid_input"


def test_parameter_catalogue(signed_in: Client) -> None:
    # when
    response = signed_in.get("/api/v1/policy/parameters")
    # then
    assert response.status_code == 200
    items = {item["key"]: item for item in response.json()}
    assert len(items) == len(parameters.PARAMETERS)
    assert items[G3_6] == {
        "key": G3_6,
        "label": "三至六年级每日书面作业平均完成时间上限",
        "unit": "minutes",
        "direction": "max",
        "rule": "H2",
        "status": "V",
        "enforcement": "hard",
    }
    assert items["afterschool.earliest_end"]["direction"] == "min"
    assert items["training.standard_lesson_minutes.online"]["direction"] == "exact"
