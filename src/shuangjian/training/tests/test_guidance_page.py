"""The guidance prices page: every academic subject and mode with the price that applies in the region (its own or
inherited from above), the history of changes, and the form a bureau holding the region sets a price with."""

from typing import Any

from django.test import Client

from shuangjian.core.tests import factories as f
from shuangjian.training import rules
from shuangjian.training.models import GuidancePrice, GuidancePriceChange
from shuangjian.training.services import courses
from shuangjian.training.tests.conftest import TrainingWorld

PAGE = "/training/guidance-prices/"


def _rows(response: Any) -> dict[tuple[str, str], Any]:
    return {(row.subject, row.mode): row for row in response.context["rows"]}


def test_a_county_bureau_sees_every_subject_and_its_own_region_first(world: TrainingWorld, client: Client) -> None:
    client.force_login(world.county_bureau)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["region"] == world.liangyuan
    assert len(response.context["rows"]) == len(rules.ACADEMIC_SUBJECT_ORDER) * 2
    assert all(row.applied_fen is None and row.source is None for row in response.context["rows"])
    assert [r.code for r in response.context["regions"]] == ["410000", "411400", "411402"]
    assert 'data-testid="guidance-set"' in response.content.decode()


def test_a_county_without_its_own_price_applies_the_city_s(world: TrainingWorld, client: Client) -> None:
    courses.guidance_price_set(
        actor=world.city_bureau, region_code=world.city.code, subject="数学", mode="offline", base_fen=8000
    )
    client.force_login(world.county_bureau)
    row = _rows(client.get(PAGE))[("数学", "offline")]
    assert (row.own_fen, row.applied_fen, row.source) == (None, 8000, world.city)
    assert "80.00" in client.get(PAGE).content.decode()


def test_a_bureau_sets_its_region_s_price_and_the_change_is_recorded(world: TrainingWorld, client: Client) -> None:
    client.force_login(world.county_bureau)
    form = {"subject": "英语", "mode": "online", "base_yuan": "45.50"}
    response = client.post(f"{PAGE}?region={world.liangyuan.code}", form)
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?region={world.liangyuan.code}"
    price = GuidancePrice.objects.get(region=world.liangyuan, subject="英语", mode="online")
    assert (price.base_fen, price.set_by) == (4550, world.county_bureau)
    client.post(f"{PAGE}?region={world.liangyuan.code}", {**form, "base_yuan": "50"})
    page = client.get(PAGE)
    row = _rows(page)[("英语", "online")]
    assert (row.own_fen, row.applied_fen, row.source) == (5000, 5000, world.liangyuan)
    changes = [(c.previous_fen, c.base_fen) for c in page.context["history"]]
    assert changes == [(4550, 5000), (None, 4550)]


def test_a_city_bureau_sets_a_county_s_price(world: TrainingWorld, client: Client) -> None:
    client.force_login(world.city_bureau)
    assert client.get(PAGE).context["region"] == world.city
    response = client.post(f"{PAGE}?region={world.minquan.code}", {"subject": "物理", "mode": "offline",
                                                                    "base_yuan": "60"})  # fmt: skip
    assert response.status_code == 302
    assert GuidancePrice.objects.get(region=world.minquan, subject="物理").base_fen == 6000


def test_a_price_that_is_not_positive_is_refused_and_nothing_saved(world: TrainingWorld, client: Client) -> None:
    client.force_login(world.county_bureau)
    for value in ("0", "-3", "abc", "0.001"):
        response = client.post(PAGE, {"subject": "数学", "mode": "offline", "base_yuan": value})
        assert response.status_code == 422, value
        assert response.context["form"].errors, value
    zero = client.post(PAGE, {"subject": "数学", "mode": "offline", "base_yuan": "0"})
    assert "指导价应大于零" in zero.content.decode()
    assert not GuidancePrice.objects.exists()
    assert not GuidancePriceChange.objects.exists()


def test_an_unknown_subject_is_refused(world: TrainingWorld, client: Client) -> None:
    client.force_login(world.county_bureau)
    response = client.post(PAGE, {"subject": "美术", "mode": "offline", "base_yuan": "30"})
    assert response.status_code == 422
    assert not GuidancePrice.objects.exists()


def test_an_inspector_reads_but_cannot_set(world: TrainingWorld, client: Client) -> None:
    client.force_login(world.inspector)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert 'data-testid="guidance-set"' not in page.content.decode()
    response = client.post(PAGE, {"subject": "数学", "mode": "offline", "base_yuan": "30"})
    assert response.status_code == 403
    assert not GuidancePrice.objects.exists()


def test_an_operator_sees_its_institution_s_regions_only(world: TrainingWorld, client: Client) -> None:
    client.force_login(world.operator)
    page = client.get(PAGE)
    assert [r.code for r in page.context["regions"]] == ["410000", "411400", "411402"]
    assert page.context["region"] == world.liangyuan
    assert not page.context["can_set"]
    assert client.get(PAGE, {"region": world.minquan.code}).status_code == 404
    assert client.post(PAGE, {"subject": "数学", "mode": "offline", "base_yuan": "30"}).status_code == 403


def test_a_county_bureau_cannot_look_at_another_county(world: TrainingWorld, client: Client) -> None:
    client.force_login(world.county_bureau)
    assert client.get(PAGE, {"region": world.minquan.code}).status_code == 404
    assert client.post(f"{PAGE}?region={world.minquan.code}", {"subject": "数学", "mode": "offline",
                                                               "base_yuan": "30"}).status_code == 404  # fmt: skip
    assert not GuidancePrice.objects.exists()


def test_the_page_needs_a_desk_role(world: TrainingWorld, client: Client) -> None:
    assert client.get(PAGE).status_code == 302  # to the login page
    client.force_login(f.named_user("路人"))
    assert client.get(PAGE).status_code == 403
