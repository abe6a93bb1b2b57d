"""The pages: the public lookup and sanction list (no login, cacheable, nothing personal), and the desk."""

from datetime import date
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from shuangjian.core.models import Role
from shuangjian.core.tests import factories as f
from shuangjian.training.models import EventKind, InstitutionEvent
from shuangjian.training.public_cache import PUBLIC_MAX_AGE_SECONDS
from shuangjian.training.services import courses, premises, registry
from shuangjian.training.tests import builders
from shuangjian.training.tests.conftest import TrainingWorld

APPLIED_CODE = builders.credit_code("52411402MJY400004")


@pytest.fixture
def published(world: TrainingWorld) -> TrainingWorld:
    """启明 with a site, a teacher, a course and a supervised account; an applied institution; sanctions on 博雅."""
    site = builders.site(world.operator, world.institution)
    premises.staff_add(
        actor=world.operator, institution_id=world.institution.pk, name="钱多多", teaches=True,
        qualification_number="20214114200001",
    )  # fmt: skip
    courses.course_create(
        actor=world.operator, institution_id=world.institution.pk, draft=builders.course_draft(site.pk)
    )
    registry.supervision_record(
        actor=world.county_bureau,
        institution_id=world.institution.pk,
        bank="中国银行商丘分行",
        opened_on=date(2026, 3, 1),
    )
    builders.registered(world.county_bureau, APPLIED_CODE, world.liangyuan, name="梁园区未审批培训学校")
    for reason, start, end in (("虚假宣传", date(2026, 9, 1), None), ("旧事", date(2025, 1, 1), date(2025, 6, 30))):
        registry.sanction_add(
            actor=world.other_county_bureau,
            institution_id=world.other_institution.pk,
            draft=registry.SanctionDraft("warning", reason, "民权县教育体育局", start, end),
        )
    return world


def _assert_public_cacheable(response: object) -> None:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}  # type: ignore[index]
    assert directives == {"public", f"max-age={PUBLIC_MAX_AGE_SECONDS}"}
    assert "Cookie" not in response.get("Vary", "")  # type: ignore[attr-defined]
    assert not response.cookies  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["/training/lookup/", "/api/v1/training/lookup"])
def test_a_repeated_search_is_served_from_the_public_cache_until_it_expires(
    published: TrainingWorld, client: Client, path: str, django_assert_num_queries: Any
) -> None:
    first = client.get(path, {"q": "启明"})
    registry.institution_update(
        actor=published.county_bureau, institution_id=published.institution.pk, changes={"name": "梁园区启航学堂"}
    )
    # when: the same search again, within the max-age
    with django_assert_num_queries(0):
        again = client.get(path, {"q": "启明"})
    # then: the cached answer (the rename shows once it expires); another search or language is its own entry
    code = published.institution.credit_code.encode()
    assert again.content == first.content and code in again.content
    _assert_public_cacheable(again)
    assert code in client.get(path, {"q": "启航"}).content
    english = client.get(path, {"q": "启明"}, headers={"accept-language": "en"})
    assert english.content != first.content


def test_a_refused_search_is_not_cached(published: TrainingWorld, client: Client) -> None:
    assert client.get("/api/v1/training/lookup", {"q": "启" * 65}).status_code == 422
    assert client.get("/api/v1/training/lookup", {"q": "启" * 65}).status_code == 422
    assert caches["public"]._cache == {}  # type: ignore[attr-defined]  # LocMemCache's entries


def test_anyone_finds_approved_institutions_by_name(published: TrainingWorld, client: Client) -> None:
    # when: nobody is signed in
    response = client.get("/training/lookup/", {"q": "培训学校"})
    # then: the two approved institutions, not the applied one
    assert response.status_code == 200
    page = response.content.decode()
    assert "梁园区启明培训学校" in page and "民权县博雅培训学校" in page
    assert "梁园区未审批培训学校" not in page
    _assert_public_cacheable(response)


def test_a_two_character_search_finds_exactly_the_names_containing_it(published: TrainingWorld, client: Client) -> None:
    # given: 启明 is in one approved name; 明博 spans two words of no name
    builders.approved(published.county_bureau, builders.credit_code("52411402MJY500005"), published.liangyuan,
                      name="梁园区明启书院")  # fmt: skip
    # when
    found = client.get("/api/v1/training/lookup", {"q": "启明"}).json()
    # then
    assert [item["name"] for item in found["items"]] == ["梁园区启明培训学校"]
    assert (found["count"], found["more"]) == (1, False)
    assert client.get("/api/v1/training/lookup", {"q": "明博"}).json()["items"] == []
    assert client.get("/api/v1/training/lookup", {"q": "启"}).json()["items"] == []  # one character is not a search


def test_an_exact_credit_code_finds_one_institution(published: TrainingWorld, client: Client) -> None:
    response = client.get("/api/v1/training/lookup", {"q": builders.QIMING.lower()})
    assert [item["name"] for item in response.json()["items"]] == ["梁园区启明培训学校"]
    item = response.json()["items"][0]
    assert (item["county_name"], item["licence_status"], item["licence_status_label"]) == (
        "梁园区",
        "approved",
        "已审批",
    )
    assert item["kind_label"] == {"academic": "学科类", "non_academic": "非学科类"}[item["kind"]]
    english = client.get("/api/v1/training/lookup", {"q": builders.QIMING}, headers={"accept-language": "en"})
    assert english.json()["items"][0]["licence_status_label"] == "Approved"
    assert client.get("/api/v1/training/lookup", {"q": APPLIED_CODE}).json()["count"] == 0
    _assert_public_cacheable(response)


def test_the_public_detail_shows_status_kind_sites_courses_and_supervision(
    published: TrainingWorld, client: Client
) -> None:
    # when
    response = client.get(f"/training/lookup/{builders.QIMING}/")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    for shown in ("已审批", "学科类", "线下", "某路 1 号二楼", "初中数学提高班", "60.00 元", "周三 18:00–19:30",
                  "已纳入监管：中国银行商丘分行，2026-03-01 开立监管账户", "张明"):  # fmt: skip
        assert shown in page, shown
    assert "钱多多" not in page  # staff are never public
    _assert_public_cacheable(response)


def test_the_public_api_detail_carries_no_staff(published: TrainingWorld, client: Client) -> None:
    body = client.get(f"/api/v1/training/lookup/{builders.QIMING}").json()
    assert (body["licence_status"], body["fees_supervised"], body["escrow_bank"]) == (
        "approved",
        True,
        "中国银行商丘分行",
    )
    assert [c["title"] for c in body["courses"]] == ["初中数学提高班"]
    assert "staff" not in body and "钱多多" not in str(body)


def test_institutions_not_approved_are_not_public(published: TrainingWorld, client: Client) -> None:
    assert client.get(f"/training/lookup/{APPLIED_CODE}/").status_code == 404
    assert client.get(f"/api/v1/training/lookup/{APPLIED_CODE}").status_code == 404
    registry.licence_change(
        actor=published.county_bureau, institution_id=published.institution.pk, action="suspend", reason="查处"
    )
    assert client.get(f"/training/lookup/{builders.QIMING}/").status_code == 404


def test_the_sanction_list_shows_sanctions_in_force(published: TrainingWorld, client: Client) -> None:
    response = client.get("/training/sanctions/")
    page = response.content.decode()
    assert "民权县博雅培训学校" in page and "虚假宣传" in page and "民权县教育体育局" in page
    assert "旧事" not in page
    assert "民权县教体局" not in page  # the user who recorded it is not published
    _assert_public_cacheable(response)
    api = client.get("/api/v1/training/sanction-list").json()
    assert [(s["credit_code"], s["reason"]) for s in api["items"]] == [(builders.BOYA, "虚假宣传")]
    detail = client.get(f"/training/lookup/{builders.BOYA}/").content.decode()
    assert "该机构正在惩戒期内" in detail


def test_the_desk_lists_the_region_s_registry(published: TrainingWorld, client: Client) -> None:
    client.force_login(published.inspector)
    page = client.get("/training/").content.decode()
    assert "梁园区启明培训学校" in page and "梁园区未审批培训学校" in page
    assert "民权县博雅培训学校" not in page


def test_a_bureau_suspends_a_licence_from_the_page(published: TrainingWorld, client: Client) -> None:
    client.force_login(published.county_bureau)
    url = f"/training/institutions/{published.institution.pk}/licence/"
    response = client.post(url, {"action": "suspend", "reason": "群众投诉"})
    assert response.status_code == 302
    event = InstitutionEvent.objects.filter(institution=published.institution).latest("pk")
    assert (event.kind, event.reason, event.actor) == (EventKind.SUSPENDED, "群众投诉", published.county_bureau)
    refused = client.post(url, {"action": "suspend", "reason": "再次"})
    assert refused.status_code == 422
    assert "当前许可状态为“已暂停”，不能执行“暂停办学”。" in refused.content.decode()


def test_an_operator_lands_on_its_institution_and_cannot_act_on_the_licence(
    published: TrainingWorld, client: Client
) -> None:
    client.force_login(published.operator)
    assert client.get("/training/").url == f"/training/institutions/{published.institution.pk}/"  # type: ignore[attr-defined]
    page = client.get(f"/training/institutions/{published.institution.pk}/").content.decode()
    assert 'data-testid="licence-form"' not in page and 'data-testid="site-form"' in page
    response = client.post(
        f"/training/institutions/{published.institution.pk}/licence/", {"action": "cancel", "reason": "x"}
    )
    assert response.status_code == 403
    assert client.get(f"/training/institutions/{published.other_institution.pk}/").status_code == 404


def test_a_refused_course_stays_on_the_form_with_the_rule(published: TrainingWorld, client: Client) -> None:
    client.force_login(published.operator)
    site = published.institution.sites.get()
    form = {
        "title": "周六数学", "subject": "数学", "grade_min": 7, "grade_max": 9, "lesson_minutes": 90, "lesson_count": 4,
        "class_size": 20, "price_yuan": "60", "charge_lessons": 4, "charge_months": 1, "start_date": "2026-09-09",
        "end_date": "2026-09-30", "site_id": site.pk, "weekday_1": "6", "start_1": "09:00", "end_1": "10:30",
    }  # fmt: skip
    url = f"/training/institutions/{published.institution.pk}/courses/new/"
    refused = client.post(url, form)
    assert refused.status_code == 422
    assert "学科类培训不得在休息日开展（2026-09-12）。" in refused.content.decode()
    accepted = client.post(url, {**form, "title": "周三数学", "weekday_1": "3", "start_1": "18:00", "end_1": "19:30"})
    assert accepted.status_code == 302
    assert published.institution.courses.filter(title="周三数学", price_fen_per_lesson=6000).exists()


def test_school_roles_have_no_desk_and_anonymous_users_sign_in(world: TrainingWorld, client: Client) -> None:
    assert client.get("/training/").status_code == 302
    teacher = f.user()
    f.assign(teacher, Role.TEACHER, school=f.school(world.liangyuan))
    client.force_login(teacher)
    assert client.get("/training/").status_code == 403
    assert client.get("/training/violations/").status_code == 403
