"""What parsing and checking produce: errors, rows ready to write, new classes, the context read from the database."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from shuangjian.core.roster.columns import RosterRelation, class_name

# --- results -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RosterError:
    row: int  # spreadsheet row number; the header is row 1
    column: str  # the header as written in the file, or the column's standard name
    code: str
    value: str  # masked where personal
    message: str


@dataclass(frozen=True, slots=True)
class GuardianEntry:
    slot: int
    name: str
    relation: RosterRelation
    phone: str = field(repr=False)
    phone_digest: str = field(repr=False)


@dataclass(slots=True)
class RowDraft:
    """One data row as far as it could be read; a field is None where its cell is missing or invalid."""

    row: int
    student_number: str | None = field(default=None, repr=False)  # a G number carries the resident ID
    name: str | None = None
    gender: str | None = None
    birth_date: date | None = None
    resident_id: str | None = field(default=None, repr=False)
    resident_id_digest: str | None = field(default=None, repr=False)
    grade: int | None = None
    class_number: int | None = None
    entry_year: int | None = None
    class_text: str = ""
    class_readable: bool = False
    guardians: list[GuardianEntry] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NewClass:
    grade: int
    number: int
    entry_year: int

    @property
    def name(self) -> str:
        return class_name(self.grade, self.number)


@dataclass(frozen=True, slots=True)
class RosterRow:
    """A valid row, ready to write. `class_id` names an existing class, else `new_class` one to create."""

    row: int
    student_number: str = field(repr=False)  # a G number carries the resident ID
    name: str
    gender: str
    birth_date: date
    resident_id: str | None = field(repr=False)
    resident_id_digest: str | None = field(repr=False)
    class_id: int | None
    new_class: NewClass | None
    guardians: tuple[GuardianEntry, ...]


@dataclass(slots=True)
class ParsedRoster:
    drafts: list[RowDraft]
    errors: list[RosterError]
    headers: dict[str, str]  # column key → the header text in the file

    def student_numbers(self) -> set[str]:
        return {d.student_number for d in self.drafts if d.student_number}

    def resident_id_digests(self) -> set[str]:
        return {d.resident_id_digest for d in self.drafts if d.resident_id_digest}

    def phone_digests(self) -> set[str]:
        return {g.phone_digest for d in self.drafts for g in d.guardians}


@dataclass(frozen=True, slots=True)
class ExistingClass:
    id: int
    grade: int
    number: int
    entry_year: int
    name: str


@dataclass(frozen=True, slots=True)
class RosterContext:
    """What the database says, as plain data, for the rows of one file."""

    classes: Sequence[ExistingClass]
    numbers_elsewhere: frozenset[str]  # student numbers of the file registered at another school
    resident_id_owners: Mapping[str, str]  # resident ID digest → student number holding it
    create_classes: bool
    school_year_start: int
    first_grade: int  # the school's first grade, for entry years of created classes


@dataclass(slots=True)
class RosterValidation:
    rows: list[RosterRow]
    errors: list[RosterError]
    new_classes: list[NewClass]

    @property
    def ok(self) -> bool:
        return not self.errors
