"""Roster import, part two: check a parsed roster against the database and write it in one transaction.

Decisions (issue 2, item 7):
- Students are keyed by student number. A number already registered at this school updates that student
  (name, gender, birth date, class, and the resident ID when the row gives one); a re-import of the same
  file changes nothing. A number registered at another school is an error: transfers have their own
  procedure. A resident ID held by a student with another number is an error.
- Guardians are keyed by phone (its keyed digest): one Guardian per phone, linked to each of its children.
  A guardian already in the database is reused as it is; an import does not rename it.
- When a row names guardians, the student's guardian links become exactly those (the first named is the
  primary guardian); a row without guardians leaves the links as they are.
- Classes must exist in the school, unless `create_classes` is given; then the missing ones are created.
- Nothing is written unless every row is valid. `dry_run` validates and counts without writing.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuangjian.core import access, protect, roster, selectors
from shuangjian.core.models import Guardian, GuardianLink, Role, School, SchoolClass, Stage, Student
from shuangjian.core.roster import GuardianEntry, NewClass, ParsedRoster, ProgressCallback, RosterError, RosterRow

IMPORT_ROSTER = access.register_action("core.roster_import", [Role.SCHOOL_LEADER])

BATCH_SIZE = 500

# The first grade of each kind of school: the grade a class has in the year it enters.
FIRST_GRADE = {
    Stage.KINDERGARTEN: -2,
    Stage.PRIMARY: 1,
    Stage.NINE_YEAR: 1,
    Stage.SPECIAL: 1,
    Stage.JUNIOR: 7,
    Stage.COMPLETE_SECONDARY: 7,
    Stage.HIGH: 10,
}


@dataclass(slots=True)
class RosterImportResult:
    """What an import did, or (with dry_run) would do; `errors` is non-empty when nothing was written.

    `updated` counts existing students whose details, class or guardian links changed; `unchanged` the rest."""

    school_code: str
    school_name: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    guardians_created: int = 0
    links_created: int = 0
    links_updated: int = 0
    links_removed: int = 0
    classes_created: list[str] = field(default_factory=list)
    errors: list[RosterError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


def roster_import(
    *,
    actor: Any,
    school_code: str,
    filename: str,
    content: bytes,
    create_classes: bool = False,
    dry_run: bool = False,
    today: date | None = None,
    progress: ProgressCallback | None = None,
) -> RosterImportResult:
    """Import a school's roster file (.xlsx or .csv). Raises NotFound for a school outside the actor's
    scope, AccessDenied for an actor who is not a leader of the school, and a DomainError with code
    core.import_file_unreadable for a file that cannot be read. Row errors come back in the result."""
    school = selectors.school_get(actor=actor, code=school_code)
    access.require(actor, IMPORT_ROSTER, school)
    today = today or timezone.localdate()
    parsed = roster.parse_roster(roster.read_table(filename, content), today=today, progress=progress)
    return _roster_apply(
        school=school,
        parsed=parsed,
        create_classes=create_classes,
        dry_run=dry_run,
        today=today,
        progress=progress,
    )


@transaction.atomic(durable=True)
def _roster_apply(
    *,
    school: School,
    parsed: ParsedRoster,
    create_classes: bool,
    dry_run: bool,
    today: date,
    progress: ProgressCallback | None,
) -> RosterImportResult:
    result = RosterImportResult(school.code, school.name, dry_run, rows=len(parsed.drafts))
    # One import per school at a time (PostgreSQL; SQLite serialises writers anyway).
    list(School.objects.select_for_update().filter(pk=school.pk).values_list("pk", flat=True))
    students = _students_by_number(parsed.student_numbers())
    context = roster.RosterContext(
        classes=_classes(school),
        numbers_elsewhere=frozenset(n for n, s in students.items() if s.school_id != school.pk),
        resident_id_owners=_resident_id_owners(parsed.resident_id_digests()),
        create_classes=create_classes,
        school_year_start=roster.school_year_start(today),
        first_grade=FIRST_GRADE.get(Stage(school.stage), 1),
    )
    validation = roster.check_roster(parsed, context)
    if not validation.ok:
        result.errors = validation.errors
        return result

    plan = _Plan(school, validation.rows, students, _guardian_ids(parsed.phone_digests()))
    plan.diff_links(_links_of(plan.relinked_student_ids()))
    result.created = len(plan.new_rows)
    result.updated = len({r.student_number for r in plan.changed} | plan.relinked_numbers)
    result.unchanged = len(validation.rows) - result.created - result.updated
    result.guardians_created = len(plan.new_guardians)
    result.classes_created = [c.name for c in validation.new_classes]
    result.links_created = len(plan.links_to_create)
    result.links_updated = len(plan.links_to_update)
    result.links_removed = len(plan.links_to_delete)
    if not dry_run:
        plan.write(validation.new_classes, progress)
    return result


def _students_by_number(numbers: Iterable[str]) -> dict[str, Student]:
    found: dict[str, Student] = {}
    for batch in roster.chunks(sorted(numbers), BATCH_SIZE):
        found.update((s.student_number, s) for s in Student.objects.filter(student_number__in=batch))
    return found


def _resident_id_owners(digests: Iterable[str]) -> dict[str, str]:
    owners: dict[str, str] = {}
    for batch in roster.chunks(sorted(digests), BATCH_SIZE):
        rows = Student.objects.filter(resident_id_digest__in=batch).values_list("resident_id_digest", "student_number")
        owners.update((digest, number) for digest, number in rows if digest)
    return owners


def _classes(school: School) -> list[roster.ExistingClass]:
    rows = SchoolClass.objects.filter(school=school).values_list("pk", "grade", "number", "entry_year", "name")
    return [roster.ExistingClass(*row) for row in rows.order_by("pk")]


def _guardian_ids(digests: Iterable[str]) -> dict[str, int]:
    """The existing guardian of each phone digest (the oldest, should there be several)."""
    ids: dict[str, int] = {}
    for batch in roster.chunks(sorted(digests), BATCH_SIZE):
        for digest, pk in (
            Guardian.objects.filter(phone_digest__in=batch).order_by("-pk").values_list("phone_digest", "pk")
        ):
            ids[digest] = pk
    return ids


def _links_of(student_ids: list[int]) -> list[GuardianLink]:
    links: list[GuardianLink] = []
    for batch in roster.chunks(student_ids, BATCH_SIZE):
        links.extend(GuardianLink.objects.filter(student_id__in=batch).order_by("pk"))
    return links


def _primary_slot(row: RosterRow) -> int:
    return min(g.slot for g in row.guardians)


class _Plan:
    """The writes an import makes, worked out before any of them is made."""

    def __init__(
        self, school: School, rows: list[RosterRow], students: dict[str, Student], guardian_ids: dict[str, int]
    ) -> None:
        self.school = school
        self.rows = rows
        self.guardian_ids = dict(guardian_ids)
        self.new_rows = [r for r in rows if r.student_number not in students]
        self.existing = {r.student_number: students[r.student_number] for r in rows if r.student_number in students}
        self.changed = [
            r for r in rows if r.student_number in self.existing and _changes(self.existing[r.student_number], r)
        ]
        self.new_guardians: dict[str, GuardianEntry] = {}
        for row in rows:
            for guardian in row.guardians:
                if guardian.phone_digest not in self.guardian_ids:
                    self.new_guardians.setdefault(guardian.phone_digest, guardian)
        self.links_to_create: list[tuple[str, str, str, bool]] = []  # number, phone digest, relation, primary
        self.links_to_update: list[GuardianLink] = []
        self.links_to_delete: list[int] = []
        self.relinked_numbers: set[str] = set()  # existing students whose guardian links change

    def relinked_student_ids(self) -> list[int]:
        return sorted(
            self.existing[r.student_number].pk for r in self.rows if r.guardians and r.student_number in self.existing
        )

    def diff_links(self, current: list[GuardianLink]) -> None:
        by_student: dict[int, dict[int, GuardianLink]] = {}
        for current_link in current:
            by_student.setdefault(current_link.student_id, {})[current_link.guardian_id] = current_link
        for row in self.rows:
            if not row.guardians:
                continue
            student = self.existing.get(row.student_number)
            old: dict[int, GuardianLink] = dict(by_student.get(student.pk, {})) if student is not None else {}
            primary = _primary_slot(row)
            changes_before = len(self.links_to_create) + len(self.links_to_update)
            for guardian in row.guardians:
                is_primary = guardian.slot == primary
                link: GuardianLink | None = old.pop(self.guardian_ids.get(guardian.phone_digest, -1), None)
                if link is None:
                    self.links_to_create.append(
                        (row.student_number, guardian.phone_digest, guardian.relation, is_primary)
                    )
                elif (link.relation, link.is_primary) != (guardian.relation, is_primary):
                    link.relation, link.is_primary = guardian.relation, is_primary
                    self.links_to_update.append(link)
            self.links_to_delete.extend(stale.pk for stale in old.values())
            if student is not None and (old or len(self.links_to_create) + len(self.links_to_update) > changes_before):
                self.relinked_numbers.add(row.student_number)

    def write(self, new_classes: list[NewClass], progress: ProgressCallback | None) -> None:
        class_ids = self._create_classes(new_classes)
        self._create_guardians()
        total, done = len(self.new_rows) + len(self.changed), 0
        student_ids = {number: s.pk for number, s in self.existing.items()}
        for batch in roster.chunks(self.new_rows, BATCH_SIZE):
            created = Student.objects.bulk_create([self._new_student(r, class_ids) for r in batch])
            student_ids.update((s.student_number, s.pk) for s in created)
            done += len(batch)
            if progress is not None:
                progress("write", done, total)
        for batch in roster.chunks(self.changed, BATCH_SIZE):
            updated = [self._updated_student(r, class_ids) for r in batch]
            Student.objects.bulk_update(updated, _STUDENT_FIELDS)
            done += len(batch)
            if progress is not None:
                progress("write", done, total)
        for ids in roster.chunks(self.links_to_delete, BATCH_SIZE):
            GuardianLink.objects.filter(pk__in=ids).delete()
        GuardianLink.objects.bulk_update(self.links_to_update, ["relation", "is_primary"], batch_size=BATCH_SIZE)
        GuardianLink.objects.bulk_create(
            [
                GuardianLink(
                    student_id=student_ids[number],
                    guardian_id=self.guardian_ids[digest],
                    relation=relation,
                    is_primary=is_primary,
                )
                for number, digest, relation, is_primary in self.links_to_create
            ],
            batch_size=BATCH_SIZE,
        )

    def _create_classes(self, new_classes: list[NewClass]) -> dict[tuple[int, int], int]:
        created = SchoolClass.objects.bulk_create(
            [
                SchoolClass(school=self.school, grade=c.grade, number=c.number, name=c.name, entry_year=c.entry_year)
                for c in new_classes
            ]
        )
        return {(c.entry_year, c.number): c.pk for c in created}

    def _create_guardians(self) -> None:
        guardians = []
        for digest, entry in self.new_guardians.items():
            phone = protect.protect_phone(entry.phone)
            guardians.append(
                Guardian(name=entry.name, phone_digest=digest, phone_masked=phone.masked, phone_cipher=phone.cipher)
            )
        for guardian in Guardian.objects.bulk_create(guardians, batch_size=BATCH_SIZE):
            self.guardian_ids[guardian.phone_digest] = guardian.pk

    def _new_student(self, row: RosterRow, class_ids: dict[tuple[int, int], int]) -> Student:
        student = Student(
            school=self.school,
            school_class_id=_class_id(row, class_ids),
            student_number=row.student_number,
            name=row.name,
            gender=row.gender,
            birth_date=row.birth_date,
        )
        _set_resident_id(student, row)
        return student

    def _updated_student(self, row: RosterRow, class_ids: dict[tuple[int, int], int]) -> Student:
        student = self.existing[row.student_number]
        student.name, student.gender, student.birth_date = row.name, row.gender, row.birth_date
        student.school_class_id = _class_id(row, class_ids)
        if row.resident_id_digest is not None and row.resident_id_digest != student.resident_id_digest:
            _set_resident_id(student, row)
        return student


_STUDENT_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "school_class",
    "resident_id_digest",
    "resident_id_masked",
    "resident_id_cipher",
]


def _changes(student: Student, row: RosterRow) -> bool:
    return (
        (student.name, student.gender, student.birth_date) != (row.name, row.gender, row.birth_date)
        or row.new_class is not None
        or student.school_class_id != row.class_id
        or (row.resident_id_digest is not None and row.resident_id_digest != student.resident_id_digest)
    )


def _class_id(row: RosterRow, class_ids: dict[tuple[int, int], int]) -> int:
    if row.class_id is not None:
        return row.class_id
    if row.new_class is None:
        raise ValueError("a valid row names an existing class or a class to create")
    return class_ids[(row.new_class.entry_year, row.new_class.number)]


def _set_resident_id(student: Student, row: RosterRow) -> None:
    if row.resident_id is None:
        return
    protected = protect.protect_resident_id(row.resident_id)
    student.resident_id_digest = protected.digest
    student.resident_id_masked = protected.masked
    student.resident_id_cipher = protected.cipher
