"""Checks against the database (given as plain data in a RosterContext), and the rows ready to write."""

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from shuangjian.core.roster.columns import (
    MAX_GRADE,
    MIN_GRADE,
    RESIDENT_ID,
    SCHOOL_CLASS,
    STUDENT_NUMBER,
    RosterErrorCode,
)
from shuangjian.core.roster.parsing import _add_error
from shuangjian.core.roster.results import NewClass, ParsedRoster, RosterContext, RosterRow, RosterValidation, RowDraft

# --- checks against the database --------------------------------------------------------------------------


def _resolve_class(
    draft: RowDraft, context: RosterContext, planned: dict[tuple[int, int], NewClass], parsed: ParsedRoster
) -> tuple[int | None, NewClass | None]:
    """The existing class of the row, or the class to create; (None, None) after recording an error."""
    grade, entry_year, number = draft.grade, draft.entry_year, draft.class_number
    candidates = [
        c
        for c in context.classes
        if c.number == number
        and (grade is None or c.grade == grade)
        and (entry_year is None or c.entry_year == entry_year)
    ]
    if len(candidates) == 1:
        return candidates[0].id, None
    if len(candidates) > 1:
        message = _("本校有不止一个“%(class)s”（入学年份不同），请填写“入学年份”列。") % {"class": draft.class_text}
        _add_error(parsed, draft, SCHOOL_CLASS, RosterErrorCode.AMBIGUOUS_CLASS, draft.class_text, message)
        return None, None
    if not context.create_classes:
        message = _("本校没有班级“%(class)s”。请先建立该班级，或选择导入时自动创建班级。") % {"class": draft.class_text}
        _add_error(parsed, draft, SCHOOL_CLASS, RosterErrorCode.UNKNOWN_CLASS, draft.class_text, message)
        return None, None
    if entry_year is not None and grade is None:
        grade = context.first_grade + (context.school_year_start - entry_year)
    elif grade is not None and entry_year is None:
        entry_year = context.school_year_start - (grade - context.first_grade)
    if grade is None or entry_year is None or number is None:
        raise ValueError("a readable class has a number and a grade or an entry year")
    if not MIN_GRADE <= grade <= MAX_GRADE:
        message = _("按入学年份推算出的年级（%(grade)s）不合理，请核对入学年份或填写“年级”列。") % {"grade": grade}
        _add_error(parsed, draft, SCHOOL_CLASS, RosterErrorCode.INVALID_CLASS, draft.class_text, message)
        return None, None
    new_class = NewClass(grade, number, entry_year)
    clash = next((c for c in context.classes if (c.entry_year, c.number) == (entry_year, number)), None)
    other = planned.setdefault((entry_year, number), new_class)
    if clash is not None or other.grade != grade:
        existing = clash.name if clash is not None else other.name
        message = _(
            "入学年份 %(entry_year)s 的 %(number)s 班已是“%(existing)s”，与本行的年级不同。请核对年级或入学年份。"
        ) % {
            "entry_year": entry_year,
            "number": number,
            "existing": existing,
        }
        _add_error(parsed, draft, SCHOOL_CLASS, RosterErrorCode.CLASS_CONFLICT, draft.class_text, message)
        return None, None
    return None, other


def check_roster(parsed: ParsedRoster, context: RosterContext) -> RosterValidation:
    """Check the rows against the database and return the valid rows, or all the errors (`parsed` is unchanged)."""
    parsed = ParsedRoster(parsed.drafts, list(parsed.errors), parsed.headers)
    planned: dict[tuple[int, int], NewClass] = {}
    resolved: dict[int, tuple[int | None, NewClass | None]] = {}
    for draft in parsed.drafts:
        if draft.student_number is not None and draft.student_number in context.numbers_elsewhere:
            message = _("该学籍号已在其他学校登记。如学生转入本校，请先办理转学手续。")
            code = RosterErrorCode.STUDENT_OF_OTHER_SCHOOL
            _add_error(parsed, draft, STUDENT_NUMBER, code, draft.student_number, message)
        if draft.resident_id_digest is not None and draft.resident_id is not None:
            owner = context.resident_id_owners.get(draft.resident_id_digest)
            if owner is not None and owner != draft.student_number:
                message = _("该身份证号已登记在另一名学生（学籍号不同）名下。")
                code = RosterErrorCode.DUPLICATE_RESIDENT_ID
                _add_error(parsed, draft, RESIDENT_ID, code, draft.resident_id, message)
        if draft.class_readable:
            resolved[draft.row] = _resolve_class(draft, context, planned, parsed)
    errors = sorted(parsed.errors, key=lambda e: e.row)
    if errors:
        return RosterValidation([], errors, [])
    rows = [_finish(draft, *resolved[draft.row]) for draft in parsed.drafts]
    return RosterValidation(rows, [], list(planned.values()))


def _finish(draft: RowDraft, class_id: int | None, new_class: NewClass | None) -> RosterRow:
    if not (draft.student_number and draft.name and draft.gender and draft.birth_date):
        raise ValueError("a row without errors has a student number, name, gender and birth date")
    return RosterRow(
        row=draft.row,
        student_number=draft.student_number,
        name=draft.name,
        gender=draft.gender,
        birth_date=draft.birth_date,
        resident_id=draft.resident_id,
        resident_id_digest=draft.resident_id_digest,
        class_id=class_id,
        new_class=new_class,
        guardians=tuple(draft.guardians),
    )


def chunks[T](items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
