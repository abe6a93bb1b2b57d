"""The roster import service (core.services.roster): writes, atomicity, re-imports, access."""

from dataclasses import dataclass
from datetime import date

import pytest

from shuangjian.core import protect
from shuangjian.core.errors import AccessDenied, CoreError, DomainError, NotFound
from shuangjian.core.models import Guardian, GuardianLink, Role, School, SchoolClass, Student, User
from shuangjian.core.roster import ProgressCallback
from shuangjian.core.services.roster import RosterImportResult, roster_import
from shuangjian.core.tests import factories as f
from shuangjian.core.tests.data.roster_files import csv_bytes, phone, pupil, pupils, resident_id, xlsx_bytes

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


@dataclass
class World:
    school: School
    other_school: School
    class_4_1: SchoolClass
    class_4_2: SchoolClass
    leader: User
    teacher: User
    other_leader: User


@pytest.fixture
def world() -> World:
    _province, _city, liangyuan, minquan = f.regions()
    school = f.school(liangyuan, "梁园区前进小学")
    other = f.school(minquan, "民权县实验小学")
    leader, teacher, other_leader = f.user("leader"), f.user("teacher"), f.user("other_leader")
    f.assign(leader, Role.SCHOOL_LEADER, school=school)
    f.assign(teacher, Role.TEACHER, school=school)
    f.assign(other_leader, Role.SCHOOL_LEADER, school=other)
    return World(
        school, other, f.school_class(school, 4, 1), f.school_class(school, 4, 2), leader, teacher, other_leader
    )


def run(
    world: World,
    content: bytes,
    filename: str = "名册.xlsx",
    *,
    actor: User | None = None,
    create_classes: bool = False,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> RosterImportResult:
    return roster_import(
        actor=actor or world.leader,
        school_code=world.school.code,
        filename=filename,
        content=content,
        create_classes=create_classes,
        dry_run=dry_run,
        today=TODAY,
        progress=progress,
    )


def counts() -> tuple[int, int, int, int]:
    return (
        Student.objects.count(),
        Guardian.objects.count(),
        GuardianLink.objects.count(),
        SchoolClass.objects.count(),
    )


def test_a_valid_file_imports_every_student_and_guardian(world: World) -> None:
    # given: 30 pupils in two classes; pupils 1, 11 and 21 are siblings of 0, 10 and 20
    rows = pupils(30, ("4年级1班", "4年级2班"), siblings_every=10)
    # when
    result = run(world, xlsx_bytes(rows))
    # then
    assert result.errors == []
    assert (result.rows, result.created, result.updated, result.unchanged) == (30, 30, 0, 0)
    assert (result.guardians_created, result.links_created, result.classes_created) == (54, 60, [])
    assert counts() == (30, 54, 60, 2)
    assert Student.objects.filter(school_class=world.class_4_1).count() == 15


def test_personal_data_is_stored_protected(world: World) -> None:
    # when
    run(world, xlsx_bytes(pupils(3)))
    # then
    student = Student.objects.get(student_number="G" + resident_id(1))
    number = resident_id(1)
    assert student.resident_id_masked == number[:4] + "*" * 10 + number[-4:]
    assert student.resident_id_digest == protect.keyed_hash(number)
    assert protect.decrypt(student.resident_id_cipher) == number
    assert (student.name, student.gender, student.birth_date, student.school_id) == (
        pupil(1)["姓名"],
        "M",
        date(2016, 1, 1),
        world.school.pk,
    )
    father = Guardian.objects.get(phone_digest=protect.keyed_hash(phone(2)))
    assert (father.name, father.phone_masked, protect.decrypt(father.phone_cipher)) == (
        pupil(1)["监护人1姓名"],
        "139****0002",
        phone(2),
    )
    links = GuardianLink.objects.filter(student=student).order_by("pk")
    assert [(link.guardian.phone_masked, link.relation, link.is_primary) for link in links] == [
        ("139****0002", "father", True),
        ("139****0003", "mother", False),
    ]


def test_siblings_share_one_guardian(world: World) -> None:
    run(world, xlsx_bytes(pupils(2, siblings_every=10)))
    father = Guardian.objects.get(phone_digest=protect.keyed_hash(phone(0)))
    assert sorted(father.links.values_list("student__name", flat=True)) == sorted(
        [str(pupil(0)["姓名"]), str(pupil(1, siblings_every=10)["姓名"])]
    )
    assert counts()[:3] == (2, 2, 4)


def test_one_bad_row_imports_nothing_and_reports_exactly_that_row(world: World) -> None:
    # given: ten valid rows except spreadsheet row 7, whose resident ID has a wrong check digit
    rows = pupils(10)
    bad = resident_id(5)[:-1] + ("0" if resident_id(5)[-1] != "0" else "1")
    rows[5] = rows[5] | {"身份证号": bad}
    # when
    result = run(world, xlsx_bytes(rows))
    # then
    assert [(e.row, e.column, e.code, e.value) for e in result.errors] == [
        (7, "身份证号", "core.invalid_resident_id", bad[:4] + "*" * 10 + bad[-4:])
    ]
    assert (result.created, result.updated, result.guardians_created) == (0, 0, 0)
    assert counts() == (0, 0, 0, 2)


def test_reimporting_the_same_file_changes_nothing(world: World) -> None:
    # given
    content = xlsx_bytes(pupils(12, ("4年级1班", "4年级2班"), siblings_every=4))
    first = run(world, content)
    before = counts()
    # when
    again = run(world, content)
    # then
    assert (first.created, again.created, again.updated, again.unchanged) == (12, 0, 0, 12)
    assert (again.guardians_created, again.links_created, again.links_updated, again.links_removed) == (0, 0, 0, 0)
    assert counts() == before


def test_reimporting_moves_students_and_replaces_their_guardians(world: World) -> None:
    # given
    run(world, xlsx_bytes(pupils(3)))
    moved = pupil(1, "4年级2班") | {"监护人2姓名": "李奶奶", "监护人2关系": "奶奶", "监护人2电话": "13700000000"}
    mother_dropped = pupil(2) | {"监护人1关系": "继父", "监护人2电话": "", "监护人2姓名": "", "监护人2关系": ""}
    # when
    result = run(world, xlsx_bytes([pupil(0), moved, mother_dropped]))
    # then
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert (result.guardians_created, result.links_created, result.links_updated, result.links_removed) == (1, 1, 0, 2)
    student = Student.objects.get(student_number="G" + resident_id(1))
    assert student.school_class == world.class_4_2
    assert sorted(student.guardian_links.values_list("relation", "guardian__phone_masked")) == [
        ("father", "139****0002"),
        ("grandparent", "137****0000"),
    ]
    third = Student.objects.get(student_number="G" + resident_id(2))
    assert list(third.guardian_links.values_list("relation", "is_primary")) == [("father", True)]
    # the mother of pupil 1 keeps her record (she may have an account); only the link went
    assert Guardian.objects.filter(phone_digest=protect.keyed_hash(phone(3))).exists()


def test_relation_and_primary_changes_update_the_link(world: World) -> None:
    run(world, xlsx_bytes([pupil(0)]))
    reordered = pupil(0) | {
        "监护人1姓名": pupil(0)["监护人2姓名"],
        "监护人1关系": "母亲",
        "监护人1电话": phone(1),
        "监护人2姓名": pupil(0)["监护人1姓名"],
        "监护人2关系": "父亲",
        "监护人2电话": phone(0),
    }
    result = run(world, xlsx_bytes([reordered]))
    assert (result.updated, result.unchanged) == (1, 0)
    assert (result.links_updated, result.links_created, result.links_removed) == (2, 0, 0)
    links = GuardianLink.objects.order_by("is_primary")
    assert [(link.relation, link.is_primary) for link in links] == [("father", False), ("mother", True)]


def test_a_row_without_guardians_leaves_the_links(world: World) -> None:
    run(world, xlsx_bytes([pupil(0)]))
    bare = pupil(0, "4年级2班") | {k: "" for k in pupil(0) if k.startswith("监护人")}
    result = run(world, xlsx_bytes([bare]))
    assert (result.updated, result.links_removed) == (1, 0)
    assert counts()[:3] == (1, 2, 2)


def test_an_existing_guardian_is_reused_and_not_renamed(world: World) -> None:
    # given: a guardian with pupil 0's father's phone already linked to a student of the school
    sibling = f.student(world.class_4_1, "王大宝")
    existing = f.guardian_of(sibling, phone=phone(0))
    # when
    result = run(world, xlsx_bytes([pupil(0)]))
    # then
    assert (result.guardians_created, result.links_created) == (1, 2)
    existing.refresh_from_db()
    assert existing.name == "王大明"
    assert existing.links.count() == 2


def test_a_student_of_another_school_is_refused(world: World) -> None:
    # given
    elsewhere = f.student(f.school_class(world.other_school, 4, 1), "赵外校")
    rows = pupils(4)
    rows[2] = rows[2] | {"学籍号": elsewhere.student_number, "身份证号": "", "性别": "男", "出生日期": "2016-03-01"}
    before = counts()
    # when
    result = run(world, xlsx_bytes(rows))
    # then
    assert [(e.row, e.column, e.code) for e in result.errors] == [(4, "学籍号", "core.roster_student_of_other_school")]
    assert counts() == before
    assert Student.objects.get(pk=elsewhere.pk).school_id == world.other_school.pk


def test_a_resident_id_of_an_existing_student_is_refused_for_another_number(world: World) -> None:
    # given: a student of the school holds pupil 1's resident ID under a J number
    run(world, xlsx_bytes([pupil(1) | {"学籍号": "J" + resident_id(1)}]))
    before = counts()
    # when
    result = run(world, xlsx_bytes(pupils(3)))
    # then
    assert [(e.row, e.column, e.code) for e in result.errors] == [(3, "身份证号", "core.roster_duplicate_resident_id")]
    assert counts() == before


def test_a_duplicate_student_number_within_the_file_is_refused(world: World) -> None:
    rows = [*pupils(3), pupil(0)]
    result = run(world, xlsx_bytes(rows))
    assert [(e.row, e.code) for e in result.errors] == [
        (5, "core.roster_duplicate_student_number"),
        (5, "core.roster_duplicate_resident_id"),
    ]
    assert counts() == (0, 0, 0, 2)


def test_unknown_classes_are_refused_unless_creation_is_asked_for(world: World) -> None:
    # given
    rows = [pupil(0, "4年级3班"), pupil(1, "5年级1班"), pupil(2, "4年级3班")]
    # when
    refused = run(world, xlsx_bytes(rows))
    created = run(world, xlsx_bytes(rows), create_classes=True)
    # then
    assert [(e.row, e.code) for e in refused.errors] == [(r, "core.roster_unknown_class") for r in (2, 3, 4)]
    assert created.errors == []
    assert created.classes_created == ["4年级3班", "5年级1班"]
    new_classes = SchoolClass.objects.filter(school=world.school, number__in=[3, 1], grade__in=[4, 5]).exclude(
        pk=world.class_4_1.pk
    )
    assert sorted(new_classes.values_list("name", "grade", "number", "entry_year")) == [
        ("4年级3班", 4, 3, 2022),
        ("5年级1班", 5, 1, 2021),
    ]
    assert Student.objects.filter(school_class__name="4年级3班").count() == 2


def test_dry_run_counts_and_writes_nothing(world: World) -> None:
    result = run(world, xlsx_bytes(pupils(5, ("4年级9班",))), dry_run=True, create_classes=True)
    assert result.dry_run and result.ok and not result.written
    assert (result.created, result.guardians_created, result.links_created, result.classes_created) == (
        5,
        10,
        10,
        ["4年级9班"],
    )
    assert counts() == (0, 0, 0, 2)


def test_an_out_of_scope_leader_gets_not_found_and_nothing_is_written(world: World) -> None:
    with pytest.raises(NotFound) as caught:
        run(world, xlsx_bytes(pupils(3)), actor=world.other_leader)
    assert caught.value.code == CoreError.NOT_FOUND
    assert counts() == (0, 0, 0, 2)


def test_a_teacher_is_refused_and_nothing_is_written(world: World) -> None:
    with pytest.raises(AccessDenied) as caught:
        run(world, xlsx_bytes(pupils(3)), actor=world.teacher)
    assert caught.value.code == CoreError.FORBIDDEN
    assert counts() == (0, 0, 0, 2)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_csv_files_from_chinese_excel_import(world: World, encoding: str) -> None:
    result = run(world, csv_bytes(pupils(4), encoding=encoding), filename="名册.csv")
    assert (result.errors, result.created) == ([], 4)
    assert sorted(Student.objects.values_list("name", flat=True)) == sorted(str(p["姓名"]) for p in pupils(4))


def test_an_unreadable_file_is_one_domain_error(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        run(world, b"PK\x03\x04 not really a workbook")
    assert caught.value.code == CoreError.IMPORT_FILE_UNREADABLE
    assert counts() == (0, 0, 0, 2)


def test_progress_is_reported_for_validation_and_writing(world: World) -> None:
    seen: list[tuple[str, int, int]] = []
    run(world, xlsx_bytes(pupils(600)), progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen == [
        ("validate", 250, 600),
        ("validate", 500, 600),
        ("validate", 600, 600),
        ("write", 500, 600),
        ("write", 600, 600),
    ]


def test_an_update_keeps_the_resident_id_when_the_row_has_none(world: World) -> None:
    run(world, xlsx_bytes([pupil(0)]))
    without_id = pupil(0) | {"身份证号": "", "姓名": "王晓明"}
    result = run(world, xlsx_bytes([without_id]))
    student = Student.objects.get()
    assert (result.updated, student.name, student.resident_id_digest) == (
        1,
        "王晓明",
        protect.keyed_hash(resident_id(0)),
    )
