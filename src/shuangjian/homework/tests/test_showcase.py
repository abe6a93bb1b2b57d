"""The showcase of good homework design (优质作业): sharing to a library, who browses which, and reuse."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuangjian.core.errors import AccessDenied, DomainError, NotFound
from shuangjian.core.models import Role, SchoolClass, User
from shuangjian.core.tests import factories as f
from shuangjian.homework.models import HomeworkItem, SharedHomework
from shuangjian.homework.selectors_showcase import ShowcaseFilters, showcase_get, showcase_list
from shuangjian.homework.services import showcase
from shuangjian.homework.tests import builders as b
from shuangjian.homework.tests.conftest import MONDAY, HomeworkWorld

TUESDAY = MONDAY + timedelta(days=1)


@dataclass
class Libraries:
    neighbour_class: SchoolClass  # grade 4 of another school in the same county (梁园区)
    neighbour_teacher: User
    far_teacher: User  # teaches in 民权县, the other county of the city
    school_share: SharedHomework
    county_share: SharedHomework
    city_share: SharedHomework


def share(world: HomeworkWorld, minutes: int, scope: str, **kw: object) -> SharedHomework:
    item = b.assign(world.chinese_teacher, kw.pop("school_class", world.class4), TUESDAY, minutes)  # type: ignore[arg-type]
    return showcase.showcase_share(actor=world.chinese_teacher, item_id=item.pk, scope=scope)


@pytest.fixture
def libraries(world: HomeworkWorld) -> Libraries:
    neighbour = f.school(world.school.county, "梁园区第二实验小学")
    neighbour_class = f.school_class(neighbour, 4, 1)
    return Libraries(
        neighbour_class=neighbour_class,
        neighbour_teacher=b.teacher_of(neighbour_class),
        far_teacher=b.teacher_of(world.other_class),
        school_share=share(world, 10, "school"),
        county_share=share(world, 15, "county"),
        city_share=share(world, 20, "city"),
    )


def test_share_snapshots_the_item(world: HomeworkWorld) -> None:
    # given
    item = b.assign(world.chinese_teacher, world.class4, TUESDAY, 25)
    # when
    shared = showcase.showcase_share(actor=world.chinese_teacher, item_id=item.pk, scope="county")
    # then
    assert shared.source_item == item
    assert (shared.school, shared.county_id, shared.city_id) == (world.school, "411402", "411400")
    assert (shared.scope, shared.shared_by, shared.grade) == ("county", world.chinese_teacher, 4)
    assert (shared.subject, shared.kind, shared.layer) == ("语文", "written", "basic")
    assert (shared.title, shared.instructions, shared.estimated_minutes) == ("练习", "完成第 3 页", 25)
    assert shared.reuse_count == 0


def test_each_library_reaches_its_members(world: HomeworkWorld, libraries: Libraries) -> None:
    lib = libraries
    everything = {lib.school_share.pk, lib.county_share.pk, lib.city_share.pk}
    readers = {
        "a teacher of the school": (world.maths_teacher, everything),
        "the school's counsellor": (b.user_with_role(Role.COUNSELLOR, school=world.school), everything),
        "a teacher of the same county": (lib.neighbour_teacher, {lib.county_share.pk, lib.city_share.pk}),
        "a teacher of the other county": (lib.far_teacher, {lib.city_share.pk}),
        "the other county's bureau": (b.bureau(world.other_school.county), {lib.city_share.pk}),
        "the city's bureau": (b.bureau(world.school.city), everything),
        "a guardian": (world.parent, set()),
    }
    seen = {
        case: set(showcase_list(actor=reader).values_list("pk", flat=True)) for case, (reader, _) in readers.items()
    }
    assert seen == {case: wanted for case, (_, wanted) in readers.items()}


def test_a_share_outside_the_library_is_not_found(world: HomeworkWorld, libraries: Libraries) -> None:
    with pytest.raises(NotFound):
        showcase_get(actor=libraries.neighbour_teacher, shared_id=libraries.school_share.pk)
    assert showcase_get(actor=libraries.neighbour_teacher, shared_id=libraries.county_share.pk).title == "练习"


@pytest.mark.parametrize(
    ("_case", "filters", "expected"),
    [
        ("grade", ShowcaseFilters(grade=4), ["city", "county", "school"]),
        ("another grade", ShowcaseFilters(grade=5), []),
        ("subject", ShowcaseFilters(subject="数学"), []),
        ("layer", ShowcaseFilters(layer="basic"), ["city", "county", "school"]),
        ("kind", ShowcaseFilters(kind="oral"), []),
        ("library", ShowcaseFilters(scope="county"), ["county"]),
    ],
)
def test_browse_by_grade_subject_layer_kind_and_library(
    world: HomeworkWorld, libraries: Libraries, _case: str, filters: ShowcaseFilters, expected: list[str]
) -> None:
    found = showcase_list(actor=world.maths_teacher, filters=filters)
    assert sorted(found.values_list("scope", flat=True)) == expected


def test_most_reused_first(world: HomeworkWorld, libraries: Libraries) -> None:
    showcase.showcase_reuse(
        actor=libraries.neighbour_teacher, shared_id=libraries.city_share.pk, class_id=libraries.neighbour_class.pk,
        due_date=TUESDAY, today=MONDAY,
    )  # fmt: skip
    # then newest first among the rest
    assert [s.scope for s in showcase_list(actor=world.maths_teacher)] == ["city", "county", "school"]


def test_only_the_teacher_who_assigned_it_shares_it(world: HomeworkWorld) -> None:
    # given
    item = b.assign(world.chinese_teacher, world.class4, TUESDAY, 25)
    # when
    with pytest.raises(DomainError) as refused:
        showcase.showcase_share(actor=world.maths_teacher, item_id=item.pk, scope="school")
    # then
    assert (refused.value.code, refused.value.status) == ("homework.not_your_item", 403)
    assert refused.value.message == "只能分享您自己布置的作业。"
    assert SharedHomework.objects.count() == 0


@pytest.mark.parametrize(("_case", "who", "error"), [("a guardian", "parent", AccessDenied),
                                                     ("the coordinator", "coordinator", AccessDenied),
                                                     ("a teacher of another school", "far", NotFound)])  # fmt: skip
def test_others_cannot_share(world: HomeworkWorld, _case: str, who: str, error: type[Exception]) -> None:
    item = b.assign(world.chinese_teacher, world.class4, TUESDAY, 25)
    actor = b.teacher_of(world.other_class) if who == "far" else getattr(world, who)
    with pytest.raises(error):
        showcase.showcase_share(actor=actor, item_id=item.pk, scope="school")
    assert SharedHomework.objects.count() == 0


def test_sharing_twice_to_the_same_library_is_refused(world: HomeworkWorld) -> None:
    # given
    item = b.assign(world.chinese_teacher, world.class4, TUESDAY, 25)
    showcase.showcase_share(actor=world.chinese_teacher, item_id=item.pk, scope="school")
    # when
    with pytest.raises(DomainError) as refused:
        showcase.showcase_share(actor=world.chinese_teacher, item_id=item.pk, scope="school")
    # then
    assert refused.value.code == "homework.already_shared"
    assert refused.value.message == "这项作业已经分享到本校作业库。"
    assert SharedHomework.objects.count() == 1
    # and another library is fine
    showcase.showcase_share(actor=world.chinese_teacher, item_id=item.pk, scope="city")
    assert SharedHomework.objects.count() == 2


def test_unknown_library_is_refused(world: HomeworkWorld) -> None:
    item = b.assign(world.chinese_teacher, world.class4, TUESDAY, 25)
    with pytest.raises(DomainError) as refused:
        showcase.showcase_share(actor=world.chinese_teacher, item_id=item.pk, scope="province")
    assert refused.value.code == "homework.invalid_choice"
    assert refused.value.details == {"field": "分享范围", "value": "province"}
    assert SharedHomework.objects.count() == 0


def test_reuse_assigns_a_new_item_and_counts(world: HomeworkWorld, libraries: Libraries) -> None:
    # when
    item = showcase.showcase_reuse(
        actor=libraries.neighbour_teacher,
        shared_id=libraries.county_share.pk,
        class_id=libraries.neighbour_class.pk,
        due_date=TUESDAY,
        today=MONDAY,
    )
    # then
    assert (item.school_class, item.assigned_by) == (libraries.neighbour_class, libraries.neighbour_teacher)
    assert (item.subject, item.kind, item.layer, item.title, item.estimated_minutes) == (
        "语文", "written", "basic", "练习", 15,
    )  # fmt: skip
    assert (item.start_date, item.due_date) == (TUESDAY, TUESDAY)
    assert list(item.loads.values_list("date", "minutes")) == [(TUESDAY, 15)]
    libraries.county_share.refresh_from_db()
    assert libraries.county_share.reuse_count == 1


def test_reuse_may_adapt_minutes_and_layer(world: HomeworkWorld, libraries: Libraries) -> None:
    item = showcase.showcase_reuse(
        actor=libraries.neighbour_teacher, shared_id=libraries.county_share.pk,
        class_id=libraries.neighbour_class.pk, due_date=TUESDAY, today=MONDAY, estimated_minutes=30,
        layer="extension",
    )  # fmt: skip
    assert (item.estimated_minutes, item.layer) == (30, "extension")


def test_reuse_counts_with_an_atomic_increment(world: HomeworkWorld, libraries: Libraries) -> None:
    with CaptureQueriesContext(connection) as queries:
        showcase.showcase_reuse(
            actor=libraries.neighbour_teacher, shared_id=libraries.city_share.pk,
            class_id=libraries.neighbour_class.pk, due_date=TUESDAY, today=MONDAY,
        )  # fmt: skip
    updates = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "reuse_count" in q["sql"]
    ]
    assert len(updates) == 1
    assert '"reuse_count" = ("homework_sharedhomework"."reuse_count" + 1)' in updates[0]


def test_reuse_still_respects_the_cap(world: HomeworkWorld, libraries: Libraries) -> None:
    # given: the neighbour class already has 50 minutes on Tuesday
    b.assign(libraries.neighbour_teacher, libraries.neighbour_class, TUESDAY, 50)
    # when: the 15-minute county share would take it to 65
    with pytest.raises(DomainError) as refused:
        showcase.showcase_reuse(
            actor=libraries.neighbour_teacher, shared_id=libraries.county_share.pk,
            class_id=libraries.neighbour_class.pk, due_date=TUESDAY, today=MONDAY,
        )  # fmt: skip
    # then
    assert refused.value.code == "homework.cap_exceeded"
    assert refused.value.details == {"date": "2026-11-24", "cap": "60", "load": "65"}
    assert HomeworkItem.objects.filter(school_class=libraries.neighbour_class).count() == 1
    libraries.county_share.refresh_from_db()
    assert libraries.county_share.reuse_count == 0


def test_reuse_needs_a_class_the_teacher_teaches(world: HomeworkWorld, libraries: Libraries) -> None:
    with pytest.raises(DomainError) as refused:
        showcase.showcase_reuse(
            actor=world.maths_teacher, shared_id=libraries.school_share.pk, class_id=world.class4.pk,
            due_date=TUESDAY, today=MONDAY,
        )  # fmt: skip
    assert refused.value.details == {"subject": "语文"}
    assert refused.value.code == "homework.not_your_class"
    assert SharedHomework.objects.filter(reuse_count__gt=0).count() == 0


@pytest.mark.parametrize(("_case", "who", "error"), [("the school leader", "leader", AccessDenied),
                                                     ("a guardian of the class", "parent", AccessDenied),
                                                     ("a teacher outside the library", "far", NotFound)])  # fmt: skip
def test_who_cannot_reuse(
    world: HomeworkWorld, libraries: Libraries, _case: str, who: str, error: type[Exception]
) -> None:
    # given
    actor, school_class = {
        "leader": (b.school_leader(world.school), world.class4),
        "parent": (world.parent, world.class4),
        "far": (libraries.far_teacher, world.other_class),
    }[who]
    items_before = HomeworkItem.objects.count()
    # when
    with pytest.raises(error):
        showcase.showcase_reuse(
            actor=actor, shared_id=libraries.school_share.pk, class_id=school_class.pk, due_date=TUESDAY, today=MONDAY
        )
    # then
    assert HomeworkItem.objects.count() == items_before
    assert SharedHomework.objects.filter(reuse_count__gt=0).count() == 0
