"""The course framework and the menu: who may add what, the credit code of an institution, who reads what."""

import pytest
from stdnum.cn import uscc

from shuangjian.afterschool import selectors_menu
from shuangjian.afterschool.models import CourseCategory, MenuCourse
from shuangjian.afterschool.services import menu
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import AfterschoolWorld
from shuangjian.core.errors import DomainError, NotFound
from shuangjian.training.tests import builders as training

pytestmark = pytest.mark.django_db

# A unified social credit code (GB 32100) whose check character python-stdnum computed: 91411400MA4012345 + A.
CREDIT_CODE = "91411400MA4012345A"


# The framework


def test_the_city_sets_its_framework_and_the_counties_see_it(world: AfterschoolWorld) -> None:
    # given
    sports = b.category(world)
    county_art = menu.category_create(
        actor=world.county_bureau, region_code=world.school.county_id, framework="1+3+N", code="art", name="艺术素养"
    )
    # when
    in_liangyuan = selectors_menu.category_list(actor=world.teacher, region_code=world.school.county_id)
    in_minquan = selectors_menu.category_list(actor=world.other_leader, region_code=world.other_school.county_id)
    # then
    assert list(in_liangyuan) == [sports, county_art]
    assert list(in_minquan) == [sports]
    assert (sports.region_id, sports.framework, sports.created_by) == ("411400", "1+3+N", world.city_bureau)


def test_a_category_code_is_unique_in_its_region(world: AfterschoolWorld) -> None:
    b.category(world)
    with pytest.raises(DomainError) as refused:
        b.category(world, name="体育")
    assert (refused.value.code, refused.value.details) == ("afterschool.category_exists", {"code": "sports"})
    assert CourseCategory.objects.count() == 1


@pytest.mark.parametrize(("who", "status"), [("leader", 403), ("teacher", 403), ("other_county_bureau", 404)])
def test_only_a_bureau_over_the_region_sets_categories(world: AfterschoolWorld, who: str, status: int) -> None:
    with pytest.raises(DomainError) as refused:
        menu.category_create(
            actor=getattr(world, who), region_code=world.school.county_id, framework="1+3+N", code="x", name="x"
        )
    assert refused.value.status == status
    assert CourseCategory.objects.count() == 0


# The menu


def _approved_non_academic(world: AfterschoolWorld, code: str = CREDIT_CODE, **changes: object) -> None:
    fields: dict[str, object] = {"name": "商丘某科技培训学校", "kind": "non_academic", "category": "science"}
    training.approved(world.county_bureau, code, world.school.county, **(fields | changes))


def test_a_bureau_lists_an_approved_institution_by_its_credit_code(world: AfterschoolWorld) -> None:
    assert uscc.is_valid(CREDIT_CODE)
    _approved_non_academic(world)
    code = CREDIT_CODE
    course = menu.menu_course_create_for_region(
        actor=world.city_bureau,
        region_code=world.school.city_id,
        draft=b.course_draft(
            b.category(world).pk, title="机器人编程", provider_kind="institution", provider_name="商丘某科技培训学校",
            provider_credit_code=code.lower(), fee_fen_per_session=1500,
        ),
    )  # fmt: skip
    assert (course.provider_credit_code, course.school, course.fee_fen_per_session, course.free) == (
        code,
        None,
        1500,
        False,
    )


@pytest.mark.parametrize(
    ("_case", "credit_code", "code"),
    [
        ("missing", "", "afterschool.credit_code_required"),
        ("wrong check character", "914114000000000000", "core.invalid_credit_code"),
        ("not in the registry", CREDIT_CODE, "afterschool.provider_not_approved"),
        ("academic", training.credit_code("91411400MA4054321"), "afterschool.provider_not_approved"),
        ("only applied for", training.credit_code("91411400MA4067890"), "afterschool.provider_not_approved"),
    ],
)
def test_an_institution_needs_a_valid_credit_code(
    world: AfterschoolWorld, _case: str, credit_code: str, code: str
) -> None:
    sports = b.category(world)
    _approved_non_academic(world, training.credit_code("91411400MA4054321"), kind="academic", category="")
    training.registered(world.county_bureau, training.credit_code("91411400MA4067890"), world.school.county,
                        kind="non_academic", category="arts")  # fmt: skip
    with pytest.raises(DomainError) as refused:
        menu.menu_course_create_for_region(
            actor=world.city_bureau,
            region_code=world.school.city_id,
            draft=b.course_draft(sports.pk, provider_kind="institution", provider_credit_code=credit_code),
        )
    assert refused.value.code == code
    assert MenuCourse.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "changes", "code"),
    [
        ("grades upside down", {"grade_min": 6, "grade_max": 3}, "afterschool.bad_grades"),
        ("no seats", {"capacity": 0}, "afterschool.bad_capacity"),
        ("no title", {"title": "  "}, "afterschool.text_required"),
        ("unknown provider", {"provider_kind": "company"}, "afterschool.invalid_choice"),
        ("negative fee", {"fee_fen_per_session": -100}, "afterschool.bad_fee"),
    ],
)
def test_a_bad_course_is_refused(world: AfterschoolWorld, _case: str, changes: dict[str, object], code: str) -> None:
    sports = b.category(world)
    with pytest.raises(DomainError) as refused:
        b.school_course(world, sports.pk, **changes)
    assert refused.value.code == code
    assert MenuCourse.objects.count() == 0


def test_a_school_uses_only_the_categories_of_its_regions(world: AfterschoolWorld) -> None:
    minquan_only = menu.category_create(
        actor=world.other_county_bureau, region_code=world.other_school.county_id, framework="1+N", code="m", name="m"
    )
    with pytest.raises(NotFound):
        b.school_course(world, minquan_only.pk)


def test_a_teacher_cannot_add_a_school_course(world: AfterschoolWorld) -> None:
    sports = b.category(world)
    with pytest.raises(DomainError) as refused:
        menu.menu_course_create_for_school(
            actor=world.teacher, school_code=world.school.code, draft=b.course_draft(sports.pk)
        )
    assert refused.value.status == 403
    assert MenuCourse.objects.count() == 0


def _region_course(world: AfterschoolWorld, who: str, code: str, title: str) -> MenuCourse:
    return menu.menu_course_create_for_region(
        actor=getattr(world, who),
        region_code=code,
        draft=b.course_draft(b.category(world, code=title, name=title).pk, title=title, provider_kind="volunteer"),
    )


def test_who_reads_which_menu_course(world: AfterschoolWorld) -> None:
    # given: a city course, one per county, and each school's own
    city = _region_course(world, "city_bureau", world.school.city_id, "city")
    liangyuan = _region_course(world, "county_bureau", world.school.county_id, "liangyuan")
    minquan = _region_course(world, "other_county_bureau", world.other_school.county_id, "minquan")
    own_a = b.school_course(world, city.category_id, title="a")
    own_b = menu.menu_course_create_for_school(
        actor=world.other_leader, school_code=world.other_school.code, draft=b.course_draft(city.category_id, title="b")
    )

    def titles(who: str, school: str | None = None) -> set[str]:
        return {c.title for c in selectors_menu.menu_course_list(actor=getattr(world, who), school_code=school)}

    # then
    assert titles("city_bureau") == {"city", "liangyuan", "minquan", "a", "b"}
    assert titles("county_bureau") == {"city", "liangyuan", "a"}
    assert titles("other_county_bureau") == {"city", "minquan", "b"}
    assert titles("teacher") == {"city", "liangyuan", "a"}
    assert titles("other_leader") == {"city", "minquan", "b"}
    assert titles("parent") == set()  # families see offerings, not the menu
    # and what a school may order
    assert titles("city_bureau", world.school.code) == {"city", "liangyuan", "a"}
    assert (own_a.region_id, own_b.region_id, liangyuan.region_id, minquan.school) == (
        world.school.county_id,
        world.other_school.county_id,
        world.school.county_id,
        None,
    )
    with pytest.raises(NotFound):
        selectors_menu.menu_course_get(actor=world.other_leader, course_id=own_a.pk)
