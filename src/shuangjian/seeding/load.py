"""Writers for the seed: the ORM for the few reference rows, bulk paths for the millions.

On PostgreSQL the bulk tables (classes, students, guardians, guardian links, staff) go through COPY
(psycopg 3); on SQLite through bulk_create in large batches. Both run inside the caller's transaction,
and rows arrive in batches (`BulkLoader.add`) so a city never sits in memory at once.
"""

import json
from collections.abc import Sequence
from typing import Any, Final, Protocol

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from psycopg import sql

from shuangjian.core.models import (
    Guardian,
    GuardianLink,
    Region,
    School,
    SchoolClass,
    SchoolGroup,
    SchoolYear,
    Staff,
    Student,
    TeachingAssignment,
    Term,
)
from shuangjian.seeding.generate import (
    CLASS_COLUMNS,
    GUARDIAN_COLUMNS,
    LINK_COLUMNS,
    STAFF_COLUMNS,
    STUDENT_COLUMNS,
    TEACHING_COLUMNS,
    NextIds,
    Row,
    Rows,
)
from shuangjian.seeding.presets import GroupSpec, RegionSpec, SchoolSpec, TermSpec

# (attribute of Rows, model, generated columns), in foreign-key order.
BULK_TABLES: Final[tuple[tuple[str, type[models.Model], tuple[str, ...]], ...]] = (
    ("classes", SchoolClass, CLASS_COLUMNS),
    ("students", Student, STUDENT_COLUMNS),
    ("guardians", Guardian, GUARDIAN_COLUMNS),
    ("links", GuardianLink, LINK_COLUMNS),
    ("staff", Staff, STAFF_COLUMNS),
    ("teaching", TeachingAssignment, TEACHING_COLUMNS),
)
_SQLITE_BATCH: Final = 5000


# --- reference rows through the ORM --------------------------------------------------------------------------


def regions_upsert(specs: Sequence[RegionSpec]) -> dict[str, Region]:
    """Create or update the regions, parents first."""
    found: dict[str, Region] = {}
    for spec in specs:
        region, _ = Region.objects.update_or_create(
            code=spec.code,
            defaults={"name": spec.name, "level": spec.level, "parent_id": spec.parent_code},
        )
        found[spec.code] = region
    return found


def calendar_upsert(terms: Sequence[TermSpec]) -> None:
    """School years and their default (region NULL) term dates."""
    for term in terms:
        year, _ = SchoolYear.objects.get_or_create(start_year=term.start_year)
        Term.objects.update_or_create(
            school_year=year,
            number=term.number,
            region=None,
            defaults={"start_date": term.start, "end_date": term.end},
        )


def groups_create(specs: Sequence[GroupSpec]) -> dict[int, int]:
    created = SchoolGroup.objects.bulk_create(
        [SchoolGroup(name=spec.name, region_id=spec.region_code) for spec in specs]
    )
    return {spec.key: group.pk for spec, group in zip(specs, created, strict=True)}


def schools_create(specs: Sequence[SchoolSpec], regions: dict[str, Region], groups: dict[int, int]) -> dict[str, int]:
    objects = []
    for spec in specs:
        county = regions[spec.county_code]
        city = regions[str(county.parent_id)]
        objects.append(
            School(
                code=spec.code,
                name=spec.name,
                stage=spec.stage,
                ownership=spec.ownership,
                boarding=spec.boarding,
                school_group_id=None if spec.group_key is None else groups[spec.group_key],
                county_id=county.code,
                city_id=city.code,
                province_id=str(city.parent_id),
            )
        )
    created = School.objects.bulk_create(objects, batch_size=1000)
    return {school.code: school.pk for school in created}


def next_ids() -> NextIds:
    """Primary keys continue above whatever the tables hold (1 on a fresh database)."""

    def after(model: type[models.Model]) -> int:
        return int(model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    return NextIds(
        school_class=after(SchoolClass),
        student=after(Student),
        guardian=after(Guardian),
        guardian_link=after(GuardianLink),
        staff=after(Staff),
        teaching=after(TeachingAssignment),
    )


def reset_sequences() -> None:
    """After explicit primary keys, move PostgreSQL's sequences past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [model for _, model, _ in BULK_TABLES])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# --- bulk paths ----------------------------------------------------------------------------------------------


class BulkWriter(Protocol):
    def write(self, table: str, model: type[models.Model], columns: tuple[str, ...], rows: list[Row]) -> None: ...


def _concrete(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise TypeError(name)
    return found


def _json_columns(model: type[models.Model], columns: tuple[str, ...]) -> list[int]:
    return [i for i, name in enumerate(columns) if isinstance(_concrete(model, name), models.JSONField)]


class CopyWriter:
    """PostgreSQL: COPY ... FROM STDIN through psycopg 3."""

    def __init__(self) -> None:
        self._statements: dict[str, sql.Composed] = {}

    def _statement(self, model: type[models.Model], columns: tuple[str, ...]) -> sql.Composed:
        table = model._meta.db_table
        if table not in self._statements:
            db_columns = [sql.Identifier(str(_concrete(model, name).column)) for name in columns]
            self._statements[table] = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(", ").join(db_columns)
            )
        return self._statements[table]

    def write(self, table: str, model: type[models.Model], columns: tuple[str, ...], rows: list[Row]) -> None:
        json_at = _json_columns(model, columns)
        statement = self._statement(model, columns)
        with connection.cursor() as wrapper:
            cursor: Any = wrapper.cursor  # the psycopg cursor under Django's wrapper
            with cursor.copy(statement) as copy:
                if json_at:
                    for row in rows:
                        values = list(row)
                        for i in json_at:
                            values[i] = json.dumps(values[i], ensure_ascii=False)
                        copy.write_row(values)
                else:
                    for row in rows:
                        copy.write_row(row)


class BulkCreateWriter:
    """SQLite (and any other backend): bulk_create in large batches."""

    def write(self, table: str, model: type[models.Model], columns: tuple[str, ...], rows: list[Row]) -> None:
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objects, batch_size=_SQLITE_BATCH)


def bulk_writer() -> BulkWriter:
    return CopyWriter() if connection.vendor == "postgresql" else BulkCreateWriter()


class BulkLoader:
    """Buffers generated rows and writes them, table by table in foreign-key order, every `batch_rows` rows."""

    def __init__(self, writer: BulkWriter, batch_rows: int) -> None:
        self._writer = writer
        self._batch_rows = batch_rows
        self._buffer = Rows()
        self.written: dict[str, int] = {table: 0 for table, _, _ in BULK_TABLES}

    def add(self, rows: Rows) -> None:
        self._buffer.extend(rows)
        if len(self._buffer) >= self._batch_rows:
            self.flush()

    def flush(self) -> None:
        for table, model, columns in BULK_TABLES:
            rows: list[Row] = getattr(self._buffer, table)
            if rows:
                self._writer.write(table, model, columns, rows)
                self.written[table] += len(rows)
        self._buffer = Rows()
