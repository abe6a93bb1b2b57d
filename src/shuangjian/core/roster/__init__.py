"""Roster import, part one: read a school's spreadsheet and validate every row (no ORM).

`read_table` turns an .xlsx or .csv file (UTF-8 with or without BOM, GB18030, UTF-16) into rows of
cells numbered as the spreadsheet numbers them. `parse_roster` maps the header (Chinese names, common
variants and English aliases) and checks each row on its own and against the other rows of the file.
`check_roster` then checks the rows against the database, given as plain data in a `RosterContext`.
Every problem becomes a `RosterError(row, column, code, value, message)`; values of personal columns
are masked. core.services.roster does the reading of the database and the write.
"""

from shuangjian.core.roster.cells import mask_value, parse_class, parse_grade
from shuangjian.core.roster.checks import check_roster, chunks
from shuangjian.core.roster.columns import (
    BIRTH_DATE,
    ENTRY_YEAR,
    GENDER,
    GRADE,
    GUARDIAN_PARTS,
    HEADER_SEARCH_ROWS,
    KINDERGARTEN_GRADES,
    MAX_GRADE,
    MIN_GRADE,
    NAME,
    NAME_MAX_LENGTH,
    PROGRESS_EVERY,
    REQUIRED_COLUMNS,
    RESIDENT_ID,
    SCHOOL_CLASS,
    SCHOOL_YEAR_FIRST_MONTH,
    STUDENT_NUMBER,
    TEMPLATE_HEADERS,
    ProgressCallback,
    RosterErrorCode,
    RosterRelation,
    chinese_numeral,
    class_name,
    column_label,
    guardian_column,
    school_year_start,
)
from shuangjian.core.roster.files import RosterFileError, TableRow, read_table
from shuangjian.core.roster.parsing import parse_roster
from shuangjian.core.roster.results import (
    ExistingClass,
    GuardianEntry,
    NewClass,
    ParsedRoster,
    RosterContext,
    RosterError,
    RosterRow,
    RosterValidation,
    RowDraft,
)

__all__ = [
    "BIRTH_DATE",
    "ENTRY_YEAR",
    "GENDER",
    "GRADE",
    "GUARDIAN_PARTS",
    "HEADER_SEARCH_ROWS",
    "KINDERGARTEN_GRADES",
    "MAX_GRADE",
    "MIN_GRADE",
    "NAME",
    "NAME_MAX_LENGTH",
    "PROGRESS_EVERY",
    "REQUIRED_COLUMNS",
    "RESIDENT_ID",
    "SCHOOL_CLASS",
    "SCHOOL_YEAR_FIRST_MONTH",
    "STUDENT_NUMBER",
    "TEMPLATE_HEADERS",
    "ExistingClass",
    "GuardianEntry",
    "NewClass",
    "ParsedRoster",
    "ProgressCallback",
    "RosterContext",
    "RosterError",
    "RosterErrorCode",
    "RosterFileError",
    "RosterRelation",
    "RosterRow",
    "RosterValidation",
    "RowDraft",
    "TableRow",
    "check_roster",
    "chinese_numeral",
    "chunks",
    "class_name",
    "column_label",
    "guardian_column",
    "mask_value",
    "parse_class",
    "parse_grade",
    "parse_roster",
    "read_table",
    "school_year_start",
]
