"""Rows for one school at a time: classes, students, guardians, guardian links and staff.

Pure apart from core.protect (which needs the field key): no database access. Primary keys are assigned
here from counters that start above the database's current maximum, so links can point at rows that are
not yet written and a seed always yields the same IDs on a fresh database. Each school draws from its own
`random.Random` seeded by (seed, school code), so the rows of a school do not depend on other schools;
resident-ID sequence numbers and phone numbers are global counters and stay unique across the run.
"""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from shuangjian.core import protect
from shuangjian.core.identity import make_resident_id
from shuangjian.core.models import BackboneLevel, Gender, Relation, Stage, StudentStatus, Title
from shuangjian.seeding import names
from shuangjian.seeding.presets import Plan, SchoolSpec, cohort_window, entry_year

Row = tuple[Any, ...]

# Column order of the generated rows (attribute names; load.py maps them to columns).
CLASS_COLUMNS: Final = ("id", "school_id", "grade", "number", "name", "entry_year")
STUDENT_COLUMNS: Final = (
    "id",
    "school_id",
    "school_class_id",
    "student_number",
    "name",
    "gender",
    "birth_date",
    "resident_id_digest",
    "resident_id_masked",
    "resident_id_cipher",
    "status",
)
GUARDIAN_COLUMNS: Final = ("id", "user_id", "name", "phone_digest", "phone_masked", "phone_cipher")
LINK_COLUMNS: Final = ("id", "guardian_id", "student_id", "relation", "is_primary")
TEACHING_COLUMNS: Final = ("id", "staff_id", "school_id", "school_class_id", "subject")
STAFF_COLUMNS: Final = (
    "id",
    "user_id",
    "school_id",
    "name",
    "gender",
    "subjects",
    "title",
    "backbone_level",
    "start_date",
)

_GRADE_NAMES: Final = "一二三四五六七八九"
_MALE: Final = Gender.MALE.value
_FEMALE: Final = Gender.FEMALE.value
_MALE_SHARE: Final = 0.53  # sex ratio of Henan's school-age cohorts is about 113:100
_SUSPENDED_SHARE: Final = 0.002
_SIBLING_SHARE: Final = 0.12  # pupils whose older or younger sibling is in the same school
_NON_TEACHING_SHARE: Final = 0.10
_SECOND_SUBJECT_SHARE: Final = 0.15
_PHONE_PREFIXES: Final = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
    "156", "157", "158", "159", "166", "170", "173", "175", "176", "177", "178", "180", "181", "182", "183",
    "184", "185", "186", "187", "188", "189", "191", "198", "199",
)  # fmt: skip
_PHONE_SPACE: Final = 10**8
_PHONE_STRIDE: Final = 43_046_721  # 3**16, coprime to 10**8: i -> (i * stride + offset) mod 10**8 is a bijection
_SEQUENCES_PER_DAY: Final = 499  # odd sequences 001..997 for men, even 002..998 for women

_PRIMARY_SUBJECTS: Final[tuple[tuple[str, int], ...]] = (
    ("语文", 26), ("数学", 22), ("英语", 9), ("道德与法治", 6), ("科学", 6), ("体育与健康", 8),
    ("音乐", 5), ("美术", 5), ("信息科技", 3), ("劳动", 2), ("综合实践活动", 2), ("心理健康", 1),
)  # fmt: skip
_JUNIOR_SUBJECTS: Final[tuple[tuple[str, int], ...]] = (
    ("语文", 14), ("数学", 14), ("英语", 13), ("道德与法治", 7), ("历史", 6), ("地理", 5), ("物理", 7),
    ("化学", 5), ("生物学", 5), ("体育与健康", 8), ("音乐", 3), ("美术", 3), ("信息科技", 3), ("心理健康", 2),
)  # fmt: skip


def class_name(grade: int, number: int) -> str:
    """四年级（1）班."""
    return _GRADE_NAMES[grade - 1] + "年级（" + str(number) + "）班"


def balanced(total: int, parts: int) -> list[int]:
    """`total` split into `parts` sizes that differ by at most one."""
    base, extra = divmod(total, parts)
    return [base + 1 if i < extra else base for i in range(parts)]


@dataclass(slots=True)
class NextIds:
    """The next primary key of each bulk table."""

    school_class: int = 1
    student: int = 1
    guardian: int = 1
    guardian_link: int = 1
    staff: int = 1
    teaching: int = 1


@dataclass(slots=True)
class Rows:
    classes: list[Row] = field(default_factory=list)
    students: list[Row] = field(default_factory=list)
    guardians: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)
    staff: list[Row] = field(default_factory=list)
    teaching: list[Row] = field(default_factory=list)

    def __len__(self) -> int:
        return (
            len(self.classes)
            + len(self.students)
            + len(self.guardians)
            + len(self.links)
            + len(self.staff)
            + len(self.teaching)
        )

    def extend(self, other: "Rows") -> None:
        self.classes += other.classes
        self.students += other.students
        self.guardians += other.guardians
        self.links += other.links
        self.staff += other.staff
        self.teaching += other.teaching


@dataclass(slots=True)
class DemoAnchor:
    """IDs the demo logins attach to, in the anchor school (商丘市第一实验小学)."""

    school_code: str
    class_id: int  # 四年级（1）班
    guardian_id: int  # the primary guardian of two siblings
    student_ids: tuple[int, int]  # the sibling in grade 4 (the student login), then the one in grade 2
    staff_ids: dict[str, int]  # leader, teacher, head_teacher, coordinator, counsellor


@dataclass(slots=True)
class _Family:
    surname: str
    guardians: list[tuple[int, Relation, bool]]  # (guardian id, relation, primary)
    grade: int


# The first staff rows of the anchor school, for the demo logins: (role, subjects, title).
_ANCHOR_STAFF: Final[tuple[tuple[str, tuple[str, ...], Title], ...]] = (
    ("leader", (), Title.SENIOR),
    ("teacher", ("语文",), Title.FIRST),
    ("head_teacher", ("英语",), Title.FIRST),
    ("coordinator", ("数学",), Title.SENIOR),
    ("counsellor", ("心理健康",), Title.SECOND),
)
_ANCHOR_SIBLING_GRADES: Final = (4, 2)
# 任课 in the anchor class: the demo teacher, coordinator and head teacher teach these subjects there.
_ANCHOR_TEACHING: Final = {"语文": "teacher", "数学": "coordinator", "英语": "head_teacher"}


def class_subjects(grade: int) -> tuple[str, ...]:
    """The subjects with written homework that a class is given teachers for (课程方案 2022, simplified)."""
    if grade <= 2:
        return ("语文", "数学")
    if grade <= 6:
        return ("语文", "数学", "英语", "科学")
    if grade == 7:
        return ("语文", "数学", "英语", "道德与法治", "历史", "地理", "生物学")
    if grade == 8:
        return ("语文", "数学", "英语", "道德与法治", "历史", "地理", "生物学", "物理")
    return ("语文", "数学", "英语", "道德与法治", "历史", "物理", "化学")


class Generator:
    """Generates the rows of each school of a plan, in plan order."""

    def __init__(self, plan: Plan, next_ids: NextIds, class_size_max: Callable[[str, Stage], int]) -> None:
        self.plan = plan
        self.ids = next_ids
        self._class_size_max = class_size_max
        self._sequences: dict[tuple[str, date, bool], int] = {}
        self._phones = 0
        self._phone_offset = random.Random(f"phones:{plan.seed}").randrange(_PHONE_SPACE)
        self.anchor: DemoAnchor | None = None

    # --- identifiers ----------------------------------------------------------------------------------------

    def resident_id(self, county: str, birth: date, male: bool) -> str:
        """A unique resident ID: county code, birth date, a sequence whose last digit carries the gender."""
        key = (county, birth, male)
        used = self._sequences.get(key, 0)
        if used >= _SEQUENCES_PER_DAY:
            raise RuntimeError("no resident-ID sequence numbers left for one county and birth date")
        self._sequences[key] = used + 1
        slot = (birth.toordinal() * 37 + int(county) + used) % _SEQUENCES_PER_DAY
        return make_resident_id(county, birth, 2 * slot + (1 if male else 2))

    def phone(self, rng: random.Random) -> str:
        """A mobile number 1[3-9]x xxxx xxxx, unique within the run."""
        suffix = (self._phones * _PHONE_STRIDE + self._phone_offset) % _PHONE_SPACE
        self._phones += 1
        return rng.choice(_PHONE_PREFIXES) + f"{suffix:08d}"

    # --- people ---------------------------------------------------------------------------------------------

    def _guardian(self, rng: random.Random, rows: Rows, name: str) -> int:
        guardian_id = self.ids.guardian
        self.ids.guardian += 1
        phone = protect.protect_phone(self.phone(rng))
        rows.guardians.append((guardian_id, None, name, phone.digest, phone.masked, phone.cipher))
        return guardian_id

    def _family(self, rng: random.Random, rows: Rows, grade: int, both_parents: bool = False) -> _Family:
        surname = names.surname(rng)
        draw = 0.0 if both_parents else rng.random()
        guardians: list[tuple[int, Relation, bool]] = []
        if draw < 0.62:
            father = self._guardian(rng, rows, surname + names.adult_given_name(rng, True))
            mother = self._guardian(rng, rows, names.other_surname(rng, surname) + names.adult_given_name(rng, False))
            mother_first = rng.random() < 0.55
            guardians = [(mother, Relation.MOTHER, mother_first), (father, Relation.FATHER, not mother_first)]
            if not mother_first:
                guardians.reverse()
        elif draw < 0.80:
            mother = self._guardian(rng, rows, names.other_surname(rng, surname) + names.adult_given_name(rng, False))
            guardians = [(mother, Relation.MOTHER, True)]
        elif draw < 0.90:
            guardians = [
                (self._guardian(rng, rows, surname + names.adult_given_name(rng, True)), Relation.FATHER, True)
            ]
        elif draw < 0.97:
            grandmother = rng.random() < 0.6
            name = (
                names.other_surname(rng, surname) + names.adult_given_name(rng, False)
                if grandmother
                else surname + names.adult_given_name(rng, True)
            )
            guardians = [(self._guardian(rng, rows, name), Relation.GRANDPARENT, True)]
        else:
            name = names.adult_name(rng, rng.random() < 0.5)
            guardians = [(self._guardian(rng, rows, name), Relation.OTHER, True)]
        return _Family(surname, guardians, grade)

    def _student(
        self,
        rng: random.Random,
        rows: Rows,
        spec: SchoolSpec,
        school_id: int,
        class_id: int,
        family: _Family,
        window: tuple[date, int],
    ) -> int:
        student_id = self.ids.student
        self.ids.student += 1
        male = rng.random() < _MALE_SHARE
        birth = window[0] + timedelta(days=rng.randrange(window[1]))
        resident_id = self.resident_id(spec.county_code, birth, male)
        protected = protect.protect_resident_id(resident_id)
        status = StudentStatus.SUSPENDED if rng.random() < _SUSPENDED_SHARE else StudentStatus.ENROLLED
        rows.students.append(
            (
                student_id,
                school_id,
                class_id,
                "G" + resident_id,
                family.surname + names.child_given_name(rng, male),
                _MALE if male else _FEMALE,
                birth,
                protected.digest,
                protected.masked,
                protected.cipher,
                status.value,
            )
        )
        for guardian_id, relation, primary in family.guardians:
            rows.links.append((self.ids.guardian_link, guardian_id, student_id, relation.value, primary))
            self.ids.guardian_link += 1
        return student_id

    def _staff(self, rng: random.Random, rows: Rows, spec: SchoolSpec, school_id: int) -> dict[str, int]:
        subjects_table = _JUNIOR_SUBJECTS if spec.stage == Stage.JUNIOR else _PRIMARY_SUBJECTS
        if spec.stage == Stage.NINE_YEAR:
            subjects_table = _PRIMARY_SUBJECTS + _JUNIOR_SUBJECTS
        subject_names = [s for s, _ in subjects_table]
        subject_weights = [w for _, w in subjects_table]
        female_share = 0.7 if spec.stage == Stage.PRIMARY else 0.55
        anchor_roles: dict[str, int] = {}
        self._by_subject: dict[str, list[int]] = {}
        school_year = self.plan.school_year
        for index in range(spec.staff):
            staff_id = self.ids.staff
            self.ids.staff += 1
            male = rng.random() >= female_share
            years_here = min(int(rng.expovariate(1 / 9)), 34)
            experience = years_here + rng.randrange(8)
            joined = date(school_year - years_here, 8, 20) + timedelta(days=rng.randrange(12))
            if rng.random() < _NON_TEACHING_SHARE:
                subjects: list[str] = []
            else:
                subjects = rng.choices(subject_names, weights=subject_weights)
                if rng.random() < _SECOND_SUBJECT_SHARE:
                    second = rng.choices(subject_names, weights=subject_weights)[0]
                    if second != subjects[0]:
                        subjects.append(second)
            title = _title(rng, experience)
            if spec.demo_anchor and index < len(_ANCHOR_STAFF):
                role, anchor_subjects, title = _ANCHOR_STAFF[index]
                subjects = list(anchor_subjects)
                anchor_roles[role] = staff_id
            for subject in subjects:
                self._by_subject.setdefault(subject, []).append(staff_id)
            rows.staff.append(
                (
                    staff_id,
                    None,
                    school_id,
                    names.adult_name(rng, male),
                    _MALE if male else _FEMALE,
                    subjects,
                    title.value,
                    _backbone(rng, experience).value,
                    joined,
                )
            )
        return anchor_roles

    # --- a school -------------------------------------------------------------------------------------------

    def _teaching(self, rows: Rows, school_id: int, anchor_class: int, anchor_roles: dict[str, int]) -> None:
        """Give every class a teacher for each of its subjects, round robin over the staff of that subject."""
        turn: dict[str, int] = {}
        for class_id, _school, grade, *_rest in rows.classes:
            for subject in class_subjects(grade):
                if class_id == anchor_class and _ANCHOR_TEACHING.get(subject) in anchor_roles:
                    staff_id = anchor_roles[_ANCHOR_TEACHING[subject]]
                else:
                    teachers = self._by_subject.get(subject)
                    if not teachers:
                        continue
                    staff_id = teachers[turn.get(subject, 0) % len(teachers)]
                    turn[subject] = turn.get(subject, 0) + 1
                rows.teaching.append((self.ids.teaching, staff_id, school_id, class_id, subject))
                self.ids.teaching += 1

    def school(self, spec: SchoolSpec, school_id: int) -> Rows:
        rng = random.Random(f"school:{self.plan.seed}:{spec.code}")
        rows = Rows()
        single_children: list[_Family] = []  # families with one child so far: candidates for a sibling
        anchor_family: _Family | None = None
        anchor_students: dict[int, int] = {}
        anchor_class = 0
        for grade, pupils in spec.grade_sizes:
            if pupils <= 0:
                continue
            limit = self._class_size_max(spec.county_code, Stage.PRIMARY if grade <= 6 else Stage.JUNIOR)
            born_from, born_to = cohort_window(self.plan.school_year, grade)
            window = (born_from, (born_to - born_from).days + 1)
            for number, size in enumerate(balanced(pupils, math.ceil(pupils / limit)), start=1):
                class_id = self.ids.school_class
                self.ids.school_class += 1
                rows.classes.append(
                    (
                        class_id,
                        school_id,
                        grade,
                        number,
                        class_name(grade, number),
                        entry_year(spec.stage, self.plan.school_year, grade),
                    )
                )
                for seat in range(size):
                    sibling_slot = spec.demo_anchor and number == 1 and seat == 0 and grade in _ANCHOR_SIBLING_GRADES
                    family = None
                    if sibling_slot and anchor_family is not None:
                        family = anchor_family
                    elif sibling_slot:
                        family = anchor_family = self._family(rng, rows, grade, both_parents=True)
                    elif single_children and rng.random() < _SIBLING_SHARE:
                        pick = rng.randrange(len(single_children))
                        # Two or more grades apart, so that siblings are born at least a year apart.
                        if abs(single_children[pick].grade - grade) >= 2:
                            family = single_children[pick]
                            single_children[pick] = single_children[-1]
                            single_children.pop()
                    if family is None:
                        family = self._family(rng, rows, grade)
                        single_children.append(family)
                    student_id = self._student(rng, rows, spec, school_id, class_id, family, window)
                    if sibling_slot:
                        anchor_students[grade] = student_id
                        if grade == _ANCHOR_SIBLING_GRADES[0]:
                            anchor_class = class_id
        staff_roles = self._staff(rng, rows, spec, school_id)
        self._teaching(rows, school_id, anchor_class, staff_roles)
        if spec.demo_anchor and anchor_family is not None and len(anchor_students) == len(_ANCHOR_SIBLING_GRADES):
            self.anchor = DemoAnchor(
                school_code=spec.code,
                class_id=anchor_class,
                guardian_id=next(g for g, _, primary in anchor_family.guardians if primary),
                student_ids=(anchor_students[_ANCHOR_SIBLING_GRADES[0]], anchor_students[_ANCHOR_SIBLING_GRADES[1]]),
                staff_ids=staff_roles,
            )
        return rows


def _title(rng: random.Random, experience: int) -> Title:
    if experience < 2:
        return Title.NONE
    if experience < 6:
        return Title.SECOND
    if experience < 14:
        return Title.FIRST if rng.random() < 0.7 else Title.SECOND
    draw = rng.random()
    if draw < 0.015:
        return Title.PROFESSOR
    return Title.SENIOR if draw < 0.45 else Title.FIRST


def _backbone(rng: random.Random, experience: int) -> BackboneLevel:
    if experience < 5:
        return BackboneLevel.NONE
    draw = rng.random()
    if draw < 0.005:
        return BackboneLevel.PROVINCE
    if draw < 0.025:
        return BackboneLevel.CITY
    if draw < 0.085:
        return BackboneLevel.COUNTY
    if draw < 0.18:
        return BackboneLevel.SCHOOL
    return BackboneLevel.NONE
